package org.ablate.sketches.family;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.Fwht;
import org.ablate.sketches.spi.SketchInput;
import org.junit.jupiter.api.Test;

/** The blocked SRHT (H_N = H_N1 ⊗ H_N2) equals the plain one: full FWHT, then the sampled rows. */
class SrhtBlocksTest {

    @Test
    void manyBlocksGiveTheSameRowsAsOneFullTransform() {
        int n = 3 * SrhtSketch.BLOCK_ROWS + 5; // padded to 4 blocks, the last partly zero
        int k = 3;
        int m = 40;
        long seed = 11;
        DenseMatrix ab = new DenseMatrix(n, k);
        SplittableRandom data = new SplittableRandom(5);
        for (int i = 0; i < ab.data().length; i++) {
            ab.data()[i] = data.nextGaussian();
        }
        DenseMatrix blocked = new SrhtSketch().apply(new SketchInput(ab), m, seed);

        // the reference draws the same signs and rows from the same stream
        int padded = Integer.highestOneBit(n) << 1;
        SplittableRandom random = new SplittableRandom(seed);
        long[] signs = new long[(n + 63) / 64];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = random.nextLong();
        }
        int[] rows = Sampling.distinct(padded, m, random);
        double[] work = new double[padded * k];
        for (int i = 0; i < n; i++) {
            double sign = ((signs[i >>> 6] >>> (i & 63)) & 1L) == 0 ? 1.0 : -1.0;
            for (int c = 0; c < k; c++) {
                work[i * k + c] = sign * ab.get(i, c);
            }
        }
        Fwht.transform(work, padded, k);
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < k; c++) {
                double expected = work[rows[r] * k + c] / Math.sqrt(m);
                assertEquals(expected, blocked.get(r, c), 1e-9 * Math.max(1, Math.abs(expected)), "row " + r + " col " + c);
            }
        }
    }
}
