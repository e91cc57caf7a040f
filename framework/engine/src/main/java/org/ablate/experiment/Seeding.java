package org.ablate.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds each configuration runs with: an explicit list, or {@code repeats} consecutive seeds
 * from a base ({@code seed: 10, repeats: 3} gives 10, 11, 12), as PyTorch research code does.
 * Tasks derive independent streams from a seed with {@link org.ablate.spi.SeedStreams}.
 */
public record Seeding(List<Long> explicit, long base, int repeats) {

    public Seeding {
        explicit = explicit == null ? null : List.copyOf(explicit);
    }

    /** An explicit list, checked: at least one seed, none repeated. */
    public static Seeding explicit(List<Long> seeds, org.ablate.config.Origin origin) {
        if (seeds.isEmpty()) {
            throw new org.ablate.config.ConfigException(origin, "empty list: give at least one seed");
        }
        if (new java.util.HashSet<>(seeds).size() != seeds.size()) {
            throw new org.ablate.config.ConfigException(origin, "seeds repeat: " + org.ablate.config.Values.describe(seeds));
        }
        return new Seeding(seeds, 0, seeds.size());
    }

    /**
     * {@code repeats} seeds from {@code base}, checked: the last one, base + repeats - 1, must fit
     * in 64 bits (seed: 9223372036854775807 with repeats: 3 would wrap to negative seeds).
     */
    public static Seeding consecutive(long base, int repeats, org.ablate.config.Origin origin) {
        if (base > Long.MAX_VALUE - (repeats - 1)) {
            throw new org.ablate.config.ConfigException(origin, "seed " + base + " with repeats " + repeats
                    + " runs past the largest 64-bit seed (accepted: seed + repeats - 1 <= " + Long.MAX_VALUE + ")");
        }
        return new Seeding(null, base, repeats);
    }

    public static Seeding defaults() {
        return new Seeding(null, 0, 1);
    }

    public List<Long> seeds() {
        if (explicit != null) {
            return explicit;
        }
        List<Long> out = new ArrayList<>(repeats);
        for (int i = 0; i < repeats; i++) {
            out.add(base + i);
        }
        return out;
    }
}
