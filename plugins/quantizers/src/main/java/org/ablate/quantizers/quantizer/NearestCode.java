package org.ablate.quantizers.quantizer;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Squared-L2 nearest codes by ||z||² + ||c||² − 2 z·c. The codebook is kept "augmented" as
 * [2c, −||c||²] and each token as [z, 1], so one gemm gives 2 z·c − ||c||², whose argmax over codes
 * is the nearest code (||z||² does not change it). The codebook is scanned in chunks so the score
 * block never exceeds {@code bound} values: K = 262,144 at N = 12,544 tokens never builds the 13 GB
 * N × K matrix. Scores are laid out tokens × codes in row-major order, so each token's scores
 * are contiguous for the argmax.
 */
public final class NearestCode {

    private NearestCode() {
    }

    /** [2C, −||c||²] for a codebook C [K, D]: what {@link #search} scans (a new array). */
    public static INDArray augment(INDArray codebook) {
        try (SearchBuffers scratch = new SearchBuffers()) {
            return augment(codebook, scratch).dup();
        }
    }

    /** As {@link #augment}, into {@code buffers}' augmented codebook (valid until their next use). */
    static INDArray augment(INDArray codebook, SearchBuffers buffers) {
        INDArray c = codebook.castTo(DataType.FLOAT);
        long k = c.rows();
        long d = c.columns();
        INDArray out = buffers.augmented(k, d);
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(c).muli(2.0);
        INDArray squares = c.mul(c, buffers.squares(k, d));
        INDArray norms = squares.sum(true, 1).negi();
        out.getColumn(d).assign(norms);
        norms.close();
        if (c != codebook) {
            c.close();
        }
        return out;
    }

    /** Indices of the nearest rows of {@code codebook} [K, D] for each row of {@code z} [N, D]. */
    public static int[] search(INDArray z, INDArray codebook, long bound) {
        try (SearchBuffers scratch = new SearchBuffers()) {
            return search(z, codebook, bound, scratch);
        }
    }

    /** As {@link #search}, reusing {@code buffers} (what a quantizer does step after step). */
    public static int[] search(INDArray z, INDArray codebook, long bound, SearchBuffers buffers) {
        return searchAugmented(z, augment(codebook, buffers), bound, buffers);
    }

    /** As {@link #search}, with the codebook already augmented ({@link #augment}). */
    public static int[] searchAugmented(INDArray z, INDArray augmented, long bound) {
        try (SearchBuffers scratch = new SearchBuffers()) {
            return searchAugmented(z, augmented, bound, scratch);
        }
    }

    /**
     * The scan: per chunk of codes one gemm and one argmax; the running best across chunks reads
     * the winning scores straight from the score block (no second reduction over it). The block is
     * tokens × codes in row-major order: [z, 1]·augmentedᵀ then reaches BLAS without a copy of
     * either operand (about 3× the rate of the codes × tokens column-major layout here), and each
     * token's scores are contiguous for the argmax.
     */
    public static int[] searchAugmented(INDArray z, INDArray augmented, long bound, SearchBuffers buffers) {
        int n = (int) z.rows();
        int k = (int) augmented.rows();
        long d = augmented.columns() - 1;
        INDArray zAug = buffers.tokens(n, d);
        zAug.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).assign(z);
        zAug.getColumn(d).assign(1.0);
        int chunk = (int) Math.max(1, Math.min(k, bound / Math.max(1, n)));
        int[] best = new int[n];
        float[] bestScore = new float[n];
        java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
        for (int start = 0; start < k; start += chunk) {
            int size = Math.min(chunk, k - start);
            INDArray codes = augmented.get(NDArrayIndex.interval(start, start + size), NDArrayIndex.all());
            INDArray s = size == chunk ? buffers.scores(n, chunk) : buffers.tail(n, size);
            Nd4j.gemm(zAug, codes, s, false, true, 1.0, 0.0);
            INDArray arg = Nd4j.argMax(s, 1);
            int[] idx = arg.toIntVector();
            arg.close();
            if (start == 0 && size == k) {
                System.arraycopy(idx, 0, best, 0, n);
            } else {
                // row-major [n, size]: token i's scores are s[i·size … i·size + size − 1]
                FloatBuffer values = s.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    float v = values.get(i * size + idx[i]);
                    if (v > bestScore[i]) {
                        bestScore[i] = v;
                        best[i] = start + idx[i];
                    }
                }
            }
        }
        return best;
    }

    /** The rows of {@code codebook} at {@code indices}, as a new [N, D] array. */
    public static INDArray gather(INDArray codebook, int[] indices) {
        // one native op; getRows copies row by row through views and costs ~20 µs a row
        return Nd4j.pullRows(codebook, 1, indices);
    }
}
