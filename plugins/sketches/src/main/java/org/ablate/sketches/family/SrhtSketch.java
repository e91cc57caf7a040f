package org.ablate.sketches.family;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.Fwht;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;

/**
 * The subsampled randomised Hadamard transform S = √(N/m) · P · (H/√N) · D: zero-pad to N = 2^k
 * rows, flip row signs (D), transform (H), and keep m rows sampled without replacement (P).
 *
 * <p>Only m rows of H·D·M are needed, so the transform is split as H_N = H_{N1} ⊗ H_{N2}
 * (row i = i1·N2 + i2): every block of N2 consecutive rows gets a cached FWHT (H_{N2}), and each
 * sampled row k = k1·N2 + k2 accumulates (−1)^{|k1 ∧ i1|} times row k2 of block i1, block by block,
 * two fixed halves of the blocks in parallel. O(N d log N2 + m N1 d), one pass over A, and no
 * N × d work buffer, instead of log N sweeps over one.
 */
public final class SrhtSketch implements Sketch {

    /** Rows per block: 8192 × 65 × 8 bytes ≈ 4 MB, transformed while in the last-level cache. */
    static final int BLOCK_ROWS = 8192;
    /** Blocks transformed in parallel; fixed, so results do not depend on the core count. */
    static final int PARTS = 2;

    @Override
    public DenseMatrix apply(SketchInput problem, int m, long seed) {
        int n = problem.n();
        int k = problem.ab().cols();
        int padded = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
        if (m > padded) {
            throw new IllegalArgumentException("SRHT samples m = " + m + " distinct rows of N = " + padded + ": m must be at most N");
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] signs = new long[(n + 63) / 64];
        for (int i = 0; i < signs.length; i++) {
            signs[i] = random.nextLong();
        }
        int[] rows = Sampling.distinct(padded, m, random);

        int n2 = Math.min(padded, BLOCK_ROWS);
        int n1 = padded / n2;
        double[] src = problem.ab().data();
        double scale = 1.0 / Math.sqrt(m); // unnormalised H: √(N/m)/√N = 1/√m
        int per = (n1 + PARTS - 1) / PARTS;
        double[][] partial = new double[PARTS][];
        IntStream.range(0, PARTS).parallel().forEach(part -> {
            double[] block = new double[n2 * k];
            double[] acc = new double[m * k];
            for (int b = part * per; b < Math.min(n1, (part + 1) * per); b++) {
                loadSigned(src, signs, n, k, b * n2, n2, block);
                Fwht.transform(block, n2, k);
                // sampled row r = k1·N2 + k2 takes (−1)^{|k1 ∧ b|} times row k2 of this block
                for (int r = 0; r < m; r++) {
                    int k1 = rows[r] / n2;
                    int from = (rows[r] % n2) * k;
                    double sign = (Integer.bitCount(k1 & b) & 1) == 0 ? scale : -scale;
                    int to = r * k;
                    for (int c = 0; c < k; c++) {
                        acc[to + c] += sign * block[from + c];
                    }
                }
            }
            partial[part] = acc;
        });
        DenseMatrix out = new DenseMatrix(m, k);
        double[] o = out.data();
        for (double[] p : partial) {
            for (int i = 0; i < o.length; i++) {
                o[i] += p[i];
            }
        }
        return out;
    }

    /** Rows [start, start + count) of D·[M; 0] into {@code block}. */
    private static void loadSigned(double[] src, long[] signs, int n, int k, int start, int count, double[] block) {
        for (int r = 0; r < count; r++) {
            int row = start + r;
            int to = r * k;
            if (row >= n) {
                java.util.Arrays.fill(block, to, to + k, 0.0);
                continue;
            }
            double sign = ((signs[row >>> 6] >>> (row & 63)) & 1L) == 0 ? 1.0 : -1.0;
            int from = row * k;
            for (int c = 0; c < k; c++) {
                block[to + c] = sign * src[from + c];
            }
        }
    }

    @Override
    public boolean dense() {
        return true;
    }
}
