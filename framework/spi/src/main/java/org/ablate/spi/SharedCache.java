package org.ablate.spi;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Values that trials in one process share instead of building each their own, such as a decoded
 * data set: loaded once per key, kept while they fit in a byte bound, least recently used evicted
 * first. The engine binds one per process; a component receives it by constructor injection. Values
 * must be immutable (trials read them concurrently). An evicted value stays valid for whoever still
 * holds it; the next request loads it again.
 */
public interface SharedCache {

    /**
     * The value cached under {@code key}, else {@code loader}'s, cached. Concurrent requests for one
     * key wait for a single load. An exception from the loader reaches the caller unchanged and
     * caches nothing.
     *
     * @param key names the value across plugins, e.g. {@code "fashion-mnist:/usr/share/datasets/fashion-mnist:train"}
     * @param type what the value is; a key cached with another type is an error
     * @param bytes the value's size in memory, counted against the bound
     */
    <V> V get(String key, Class<V> type, ToLongFunction<? super V> bytes, Supplier<? extends V> loader);

    /** Counts since creation, and what is held now. */
    Stats stats();

    /** Forgets every value (the next request for each loads it again). */
    void clear();

    /**
     * @param loads values loaded (misses)
     * @param hits requests answered from the cache
     * @param evictions values dropped to stay within the bound
     * @param bytes the size of the values held now
     * @param maxBytes the bound
     */
    record Stats(long loads, long hits, long evictions, long bytes, long maxBytes) {
    }

    /** A cache holding at most {@code maxBytes} of values (a value larger than that is returned but not kept). */
    static SharedCache bounded(long maxBytes) {
        return new BoundedCache(maxBytes);
    }
}
