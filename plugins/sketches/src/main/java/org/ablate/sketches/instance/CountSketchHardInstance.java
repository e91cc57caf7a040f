package org.ablate.sketches.instance;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;

/**
 * Price–Song–Woodruff's counterexample for Count-Sketch: A = [I_d; 0], b = e_n, so x* = 0 and
 * ||Ax* − b|| = ||A†|| = 1. If row n shares a bucket with an identity row, |x'_i| = 1: a constant
 * error, with probability about d/m. Deterministic: the noise level and the seed are not used.
 */
public final class CountSketchHardInstance implements RegressionInstance {

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        if (n <= d) {
            throw new IllegalArgumentException("countsketch-hard needs n > d (a zero row for b's spike), got n = " + n + ", d = " + d);
        }
        DenseMatrix ab = new DenseMatrix(n, d + 1);
        for (int i = 0; i < d; i++) {
            ab.set(i, i, 1.0);
        }
        ab.set(n - 1, d, 1.0);
        return ab;
    }
}
