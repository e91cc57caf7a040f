package org.ablate.sketches.family;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;

/**
 * Row sampling: m rows of M drawn i.i.d. with probabilities p_i, each rescaled by 1/√(m p_i)
 * so that E[SᵀS] = I.
 */
abstract class RowSamplingSketch implements Sketch {

    @Override
    public final DenseMatrix apply(SketchInput problem, int m, long seed) {
        double[] p = probabilities(problem);
        int k = problem.ab().cols();
        double[] src = problem.ab().data();
        int[] rows = Sampling.weighted(p, m, new SplittableRandom(seed));
        DenseMatrix out = new DenseMatrix(m, k);
        double[] o = out.data();
        for (int j = 0; j < m; j++) {
            int i = rows[j];
            double w = 1.0 / Math.sqrt(m * p[i]);
            for (int c = 0; c < k; c++) {
                o[j * k + c] = w * src[i * k + c];
            }
        }
        return out;
    }

    @Override
    public final boolean dense() {
        return false;
    }

    /** Sampling probabilities, summing to 1. */
    abstract double[] probabilities(SketchInput problem);
}
