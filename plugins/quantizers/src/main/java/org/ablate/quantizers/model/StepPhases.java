package org.ablate.quantizers.model;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a trainer's steps spend their wall time, phase by phase (System.nanoTime around each;
 * the benchmark prints it). Costs two clock reads per phase.
 */
public final class StepPhases {

    /** The parts of one step, in order. */
    public enum Phase {
        /** zPre: the encoder's forward pass (SameDiff output). */
        ENCODER,
        /** The nearest-code search and the gather of q (augmenting the codebook included). */
        SEARCH,
        /** SameDiff's fit: forward and backward through encoder and decoder, Adam on their weights. */
        GRAPH_TRAINING,
        /** The quantizer's own update (codebook gradient and Adam, or EMA; rows changed). */
        CODEBOOK_UPDATE
    }

    private final long[] nanos = new long[Phase.values().length];
    private long steps;

    void add(Phase phase, long elapsedNanos) {
        nanos[phase.ordinal()] += elapsedNanos;
    }

    void stepDone() {
        steps++;
    }

    /** Forgets what was measured so far (e.g. after warm-up). */
    public void reset() {
        java.util.Arrays.fill(nanos, 0);
        steps = 0;
    }

    /** Mean milliseconds per step in each phase since the last reset (NaN before any step). */
    public Map<Phase, Double> millisPerStep() {
        Map<Phase, Double> out = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            out.put(p, steps == 0 ? Double.NaN : nanos[p.ordinal()] / 1e6 / steps);
        }
        return out;
    }
}
