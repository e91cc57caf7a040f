package org.ablate.sketches.family;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.Fwht;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Parameters;

/**
 * The subsampled randomised Hadamard transform S = √(N/m) · P · (H/√N) · D: zero-pad to N = 2^k
 * rows, flip row signs (D), transform with the in-place FWHT (H), and keep m rows sampled
 * without replacement (P). O(N d log N) instead of O(m n d).
 */
public final class SrhtSketch implements Sketch {

    @Override
    public DenseMatrix apply(SketchInput problem, int m, long seed, Parameters params) {
        int n = problem.n();
        int k = problem.ab().cols();
        int padded = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
        if (m > padded) {
            throw new IllegalArgumentException("SRHT samples m = " + m + " distinct rows of N = " + padded + ": m must be at most N");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] work = new double[Math.multiplyExact(padded, k)];
        double[] src = problem.ab().data();
        for (int i = 0; i < n; i += 64) {
            long bits = random.nextLong();
            int end = Math.min(n, i + 64);
            for (int r = i, j = 0; r < end; r++, j++) {
                double sign = ((bits >>> j) & 1L) == 0 ? 1.0 : -1.0;
                int off = r * k;
                for (int c = 0; c < k; c++) {
                    work[off + c] = sign * src[off + c];
                }
            }
        }
        Fwht.transform(work, padded, k);
        // unnormalised H: √(N/m)/√N = 1/√m
        double scale = 1.0 / Math.sqrt(m);
        int[] rows = Sampling.distinct(padded, m, random);
        DenseMatrix out = new DenseMatrix(m, k);
        double[] o = out.data();
        for (int r = 0; r < m; r++) {
            int from = rows[r] * k;
            for (int c = 0; c < k; c++) {
                o[r * k + c] = scale * work[from + c];
            }
        }
        return out;
    }

    @Override
    public boolean dense() {
        return true;
    }
}
