package org.ablate.sketches.instance;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;

/**
 * The counterexample for row sampling: A is n/d stacked copies of I_d (row i is e_{i mod d}), all
 * rows equally important, and the residual is one spike on a single copy of one row (made
 * orthogonal to col(A)), of norm noise · ||A x0||. Sampling either misses the spike or gives it a
 * weight of about n/m.
 */
public final class SamplingHardInstance implements RegressionInstance {

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        if (n < 2 * d) {
            throw new IllegalArgumentException("sampling-hard needs at least two copies of I_d: n >= 2d, got n = " + n + ", d = " + d);
        }
        DenseMatrix ab = new DenseMatrix(n, d + 1);
        for (int i = 0; i < n; i++) {
            ab.set(i, i % d, 1.0);
        }
        double[] x0 = Instances.gaussianVector(d, random);
        double[] ax = Instances.multiply(ab, x0);
        int spike = random.nextInt(n);
        int column = spike % d;
        int copies = n / d + (column < n % d ? 1 : 0);
        // r = e_spike minus its projection on col(A) (the mean over the copies of that row),
        // scaled to ||r|| = noise · ||A x0||
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = (i == spike ? 1.0 : 0.0) - (i % d == column ? 1.0 / copies : 0.0);
        }
        double scale = noise * Instances.norm(ax) / Instances.norm(r);
        for (int i = 0; i < n; i++) {
            ab.set(i, d, ax[i] + scale * r[i]);
        }
        return ab;
    }
}
