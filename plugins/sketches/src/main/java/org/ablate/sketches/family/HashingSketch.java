package org.ablate.sketches.family;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;

/**
 * Sparse embeddings in one pass over M: row i of M is added, with a random sign and weight
 * 1/√s, into s rows of the result, one in each of s equal blocks of the m rows (s = 1 is
 * Count-Sketch; s > 1 the block-structured OSNAP of Kane and Nelson).
 */
abstract class HashingSketch implements Sketch {

    DenseMatrix hash(SketchInput problem, int m, int s, long seed) {
        if (s > m) {
            throw new IllegalArgumentException("s = " + s + " nonzeros per column need m >= s, got m = " + m);
        }
        int n = problem.n();
        int k = problem.ab().cols();
        double[] src = problem.ab().data();
        DenseMatrix out = new DenseMatrix(m, k);
        double[] o = out.data();
        double weight = 1.0 / Math.sqrt(s);
        int blockSize = m / s;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int from = i * k;
            for (int t = 0; t < s; t++) {
                long r = random.nextLong();
                int size = t == s - 1 ? m - blockSize * (s - 1) : blockSize;
                int row = t * blockSize + (int) Math.floorMod(r >>> 1, (long) size);
                double w = (r & 1L) == 0 ? weight : -weight;
                int to = row * k;
                for (int c = 0; c < k; c++) {
                    o[to + c] += w * src[from + c];
                }
            }
        }
        return out;
    }

    @Override
    public final boolean dense() {
        return false;
    }
}
