package org.ablate.sketches.family;

import java.util.stream.IntStream;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.SeedStreams;

/**
 * Sparse embeddings in one pass over M: row i of M is added, with a random sign and weight
 * 1/√s, into s rows of the result, one in each of s equal blocks of the m rows (s = 1 is
 * Count-Sketch; s > 1 the block-structured OSNAP of Kane and Nelson).
 */
abstract class HashingSketch implements Sketch {

    /** Row ranges hashed in parallel; fixed, so the floating-point sums do not depend on the core count. */
    static final int PARTS = 2;

    DenseMatrix hash(SketchInput problem, int m, int s, long seed) {
        if (s > m) {
            throw new IllegalArgumentException("s = " + s + " nonzeros per column need m >= s, got m = " + m);
        }
        int n = problem.n();
        int k = problem.ab().cols();
        int per = (n + PARTS - 1) / PARTS;
        long base = SeedStreams.mix(seed); // unrelated streams for neighbouring seeds
        double[][] partial = new double[PARTS][];
        IntStream.range(0, PARTS).parallel().forEach(part ->
                partial[part] = hashRows(problem.ab().data(), k, part * per, Math.min(n, (part + 1) * per), m, s, base));
        DenseMatrix out = new DenseMatrix(m, k);
        double[] o = out.data();
        for (double[] p : partial) {
            for (int i = 0; i < o.length; i++) {
                o[i] += p[i];
            }
        }
        return out;
    }

    /**
     * Rows [from, to) of M hashed into a fresh m × k buffer. The hash of (row i, nonzero t) is
     * SplitMix64 of base + i·s + t (base: the mixed seed), so it depends on nothing but those: any
     * split of the rows gives the same S.
     */
    private static double[] hashRows(double[] src, int k, int from, int to, int m, int s, long base) {
        double[] o = new double[m * k];
        double weight = 1.0 / Math.sqrt(s);
        int blockSize = m / s;
        for (int i = from; i < to; i++) {
            int rowStart = i * k;
            for (int t = 0; t < s; t++) {
                long r = SeedStreams.mix(base + (long) i * s + t);
                int size = t == s - 1 ? m - blockSize * (s - 1) : blockSize;
                // Lemire's multiply-shift maps 32 random bits to [0, size) without a division
                int row = t * blockSize + (int) (((r >>> 32) * size) >>> 32);
                double w = (r & 1L) == 0 ? weight : -weight;
                int to2 = row * k;
                for (int c = 0; c < k; c++) {
                    o[to2 + c] += w * src[rowStart + c];
                }
            }
        }
        return o;
    }

    @Override
    public final boolean dense() {
        return false;
    }
}
