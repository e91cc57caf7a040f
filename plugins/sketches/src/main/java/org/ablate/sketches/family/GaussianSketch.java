package org.ablate.sketches.family;

import java.util.SplittableRandom;

/** S with i.i.d. N(0, 1/m) entries. */
public final class GaussianSketch extends DenseBlockSketch {

    @Override
    void fill(double[] values, int from, int to, SplittableRandom random) {
        for (int i = from; i < to; i++) {
            values[i] = random.nextGaussian();
        }
    }

    @Override
    double scale(int m) {
        return 1.0 / Math.sqrt(m);
    }
}
