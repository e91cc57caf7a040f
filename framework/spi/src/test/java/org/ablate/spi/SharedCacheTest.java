package org.ablate.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedCacheTest {

    private static final long KIB = 1024;

    /** A value of a given size, loaded by a loader that counts its calls. */
    private record Blob(String name, long bytes) {
    }

    private static Blob get(SharedCache cache, String key, long bytes, AtomicInteger loads) {
        return cache.get(key, Blob.class, Blob::bytes, () -> {
            loads.incrementAndGet();
            return new Blob(key, bytes);
        });
    }

    @Test
    void aKeyIsLoadedOnceAndLaterRequestsGetTheSameValue() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        AtomicInteger loads = new AtomicInteger();
        Blob first = get(cache, "a", 10 * KIB, loads);
        assertSame(first, get(cache, "a", 10 * KIB, loads));
        assertEquals(1, loads.get());
        assertEquals(new SharedCache.Stats(1, 1, 0, 10 * KIB, 100 * KIB), cache.stats());
    }

    @Test
    void theBoundEvictsTheLeastRecentlyUsedValue() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        AtomicInteger loads = new AtomicInteger();
        Blob a = get(cache, "a", 40 * KIB, loads);
        get(cache, "b", 40 * KIB, loads);
        get(cache, "a", 40 * KIB, loads); // a is now the more recently used
        get(cache, "c", 40 * KIB, loads); // 120 KiB > 100 KiB: b goes
        assertEquals(3, loads.get());
        assertSame(a, get(cache, "a", 40 * KIB, loads), "the recently used value stays");
        get(cache, "b", 40 * KIB, loads);
        assertEquals(4, loads.get(), "the evicted value is loaded again");
        SharedCache.Stats stats = cache.stats();
        assertEquals(2, stats.evictions());
        assertTrue(stats.bytes() <= stats.maxBytes(), stats.toString());
    }

    @Test
    void aValueLargerThanTheBoundIsReturnedButNotKept() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        AtomicInteger loads = new AtomicInteger();
        Blob big = get(cache, "big", 200 * KIB, loads);
        assertEquals(200 * KIB, big.bytes());
        assertNotSame(big, get(cache, "big", 200 * KIB, loads));
        assertEquals(2, loads.get());
        assertEquals(0, cache.stats().bytes());
    }

    @Test
    void concurrentRequestsForOneKeyWaitForASingleLoad() throws Exception {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Blob> first = pool.submit(() -> cache.get("k", Blob.class, Blob::bytes, () -> {
                loads.incrementAndGet();
                loading.countDown();
                await(release);
                return new Blob("k", KIB);
            }));
            assertTrue(loading.await(10, TimeUnit.SECONDS));
            Future<Blob> second = pool.submit(() -> get(cache, "k", KIB, loads));
            Thread.sleep(100); // the second request is now waiting on the first load
            release.countDown();
            assertSame(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
            assertEquals(1, loads.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLoaderExceptionReachesTheCallerUnchangedAndCachesNothing() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.get("k", Blob.class, Blob::bytes, () -> {
            throw new IllegalStateException("files missing");
        }));
        assertEquals("files missing", e.getMessage());
        AtomicInteger loads = new AtomicInteger();
        get(cache, "k", KIB, loads);
        assertEquals(1, loads.get());
    }

    @Test
    void aKeyAskedForWithAnotherTypeIsAClearError() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        get(cache, "k", KIB, new AtomicInteger());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cache.get("k", String.class, String::length, () -> "x"));
        assertTrue(e.getMessage().startsWith("shared value 'k' is a "), e.getMessage());
    }

    @Test
    void clearForgetsEveryValue() {
        SharedCache cache = SharedCache.bounded(100 * KIB);
        AtomicInteger loads = new AtomicInteger();
        get(cache, "a", KIB, loads);
        cache.clear();
        get(cache, "a", KIB, loads);
        assertEquals(2, loads.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
