package org.ablate.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * The seeds each configuration runs with: an explicit list, or {@code repeats} consecutive seeds
 * from a base ({@code seed: 10, repeats: 3} gives 10, 11, 12), as PyTorch research code does.
 * Tasks derive independent streams from a seed with {@link SeedStreams}.
 */
public record Seeding(List<Long> explicit, long base, int repeats) {

    public Seeding {
        explicit = explicit == null ? null : List.copyOf(explicit);
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
