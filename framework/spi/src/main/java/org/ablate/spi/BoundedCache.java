package org.ablate.spi;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.ExecutionError;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** {@link SharedCache#bounded}: Guava's weighted LRU cache (Guava comes with Guice). */
final class BoundedCache implements SharedCache {

    /** Guava weighs in ints: kibibytes keep a 2 TB bound representable. */
    private static final long UNIT = 1024;

    private record Entry(Object value, long bytes) {
    }

    private final Cache<String, Entry> cache;
    private final long maxBytes;

    BoundedCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache bound must be >= 0 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.cache = CacheBuilder.newBuilder()
                // one segment: Guava splits the bound evenly between segments, which would evict a
                // large value while the whole cache is far below its bound
                .concurrencyLevel(1)
                .maximumWeight(maxBytes / UNIT)
                .weigher((String key, Entry e) -> (int) Math.min(Integer.MAX_VALUE, (e.bytes() + UNIT - 1) / UNIT))
                .recordStats()
                .build();
    }

    @Override
    public <V> V get(String key, Class<V> type, ToLongFunction<? super V> bytes, Supplier<? extends V> loader) {
        Objects.requireNonNull(key, "key");
        Entry entry;
        try {
            entry = cache.get(key, () -> {
                V value = Objects.requireNonNull(loader.get(), () -> "the loader of shared value '" + key + "' returned null");
                return new Entry(value, Math.max(0, bytes.applyAsLong(value)));
            });
        } catch (UncheckedExecutionException | ExecutionError e) {
            // the loader's own exception, as if it had been called directly
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // unreachable: a Supplier throws nothing checked
        }
        if (!type.isInstance(entry.value())) {
            throw new IllegalStateException("shared value '" + key + "' is a " + entry.value().getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(entry.value());
    }

    @Override
    public Stats stats() {
        var s = cache.stats();
        long held = cache.asMap().values().stream().mapToLong(Entry::bytes).sum();
        return new Stats(s.loadCount(), s.hitCount(), s.evictionCount(), held, maxBytes);
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }
}
