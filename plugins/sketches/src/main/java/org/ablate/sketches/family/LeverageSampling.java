package org.ablate.sketches.family;

import org.ablate.sketches.spi.SketchInput;

/** Sampling by the exact leverage scores of A (from a thin QR): p_i = ℓ_i / d. */
public final class LeverageSampling extends RowSamplingSketch {

    @Override
    double[] probabilities(SketchInput problem) {
        double[] scores = problem.leverageScores();
        double total = 0;
        for (double s : scores) {
            total += s;
        }
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = scores[i] / total;
        }
        return p;
    }
}
