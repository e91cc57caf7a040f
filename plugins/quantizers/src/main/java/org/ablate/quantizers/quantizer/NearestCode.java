package org.ablate.quantizers.quantizer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Squared-L2 nearest codes by ||z||² + ||c||² − 2 z·c. The codebook is kept "augmented" as
 * [2c, −||c||²] and each token as [z, 1], so one gemm gives 2 z·c − ||c||², whose argmax over codes
 * is the nearest code (||z||² does not change it). The codebook is scanned in chunks so the score
 * block never exceeds {@code bound} values: K = 262,144 at N = 12,544 tokens never builds the 13 GB
 * N × K matrix. Scores are laid out codes × tokens in column-major order, so each token's scores
 * are contiguous for the argmax.
 */
public final class NearestCode {

    private NearestCode() {
    }

    /** [2C, −||c||²] for a codebook C [K, D]: what {@link #search} scans. */
    public static INDArray augment(INDArray codebook) {
        INDArray c = codebook.castTo(DataType.FLOAT);
        INDArray norms = c.mul(c).sum(true, 1).negi();
        INDArray out = Nd4j.hstack(c.mul(2.0), norms);
        norms.close();
        if (c != codebook) {
            c.close();
        }
        return out;
    }

    /** Indices of the nearest rows of {@code codebook} [K, D] for each row of {@code z} [N, D]. */
    public static int[] search(INDArray z, INDArray codebook, long bound) {
        INDArray augmented = augment(codebook);
        try {
            return searchAugmented(z, augmented, bound);
        } finally {
            augmented.close();
        }
    }

    /** As {@link #search}, with the codebook already augmented ({@link #augment}). */
    public static int[] searchAugmented(INDArray z, INDArray augmented, long bound) {
        int n = (int) z.rows();
        int k = (int) augmented.rows();
        INDArray zAug = Nd4j.hstack(z.castTo(DataType.FLOAT), Nd4j.ones(DataType.FLOAT, n, 1));
        int chunk = (int) Math.max(1, Math.min(k, bound / Math.max(1, n)));
        int[] best = new int[n];
        float[] bestScore = new float[n];
        java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        INDArray scores = Nd4j.create(DataType.FLOAT, new long[] {chunk, n}, 'f');
        for (int start = 0; start < k; start += chunk) {
            int size = Math.min(chunk, k - start);
            INDArray codes = augmented.get(NDArrayIndex.interval(start, start + size), NDArrayIndex.all());
            INDArray s = size == chunk ? scores : Nd4j.create(DataType.FLOAT, new long[] {size, n}, 'f');
            Nd4j.gemm(codes, zAug, s, false, true, 1.0, 0.0);
            INDArray arg = Nd4j.argMax(s, 0);
            int[] idx = arg.toIntVector();
            arg.close();
            if (start == 0 && size == k) {
                for (int i = 0; i < n; i++) {
                    best[i] = idx[i];
                }
            } else {
                INDArray max = s.max(0);
                float[] val = max.toFloatVector();
                max.close();
                for (int i = 0; i < n; i++) {
                    if (val[i] > bestScore[i]) {
                        bestScore[i] = val[i];
                        best[i] = start + idx[i];
                    }
                }
            }
            if (s != scores) {
                s.close();
            }
        }
        scores.close();
        zAug.close();
        return best;
    }

    /** The rows of {@code codebook} at {@code indices}, as a new [N, D] array. */
    public static INDArray gather(INDArray codebook, int[] indices) {
        // one native op; getRows copies row by row through views and costs ~20 µs a row
        return Nd4j.pullRows(codebook, 1, indices);
    }
}
