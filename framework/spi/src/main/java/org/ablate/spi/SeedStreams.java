package org.ablate.spi;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent 64-bit seeds from a trial seed and a stream name, so that "data" and "init"
 * draws never share a sequence and adding a stream does not shift the others.
 */
public final class SeedStreams {

    private SeedStreams() {
    }

    public static long derive(long seed, String stream) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    /** The SplitMix64 finaliser: a bijection with good avalanche. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
