package org.ablate.quantizers.quantizer;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradient of the codebook term L = mean((q − sg(zPre))²) over N tokens × D values:
 * ∂L/∂q_i = 2 (q_i − zPre_i) / (N·D), and per code the sum over every token that chose it — a
 * scatter-add, so duplicate indices accumulate.
 */
public final class CodebookGradient {

    private CodebookGradient() {
    }

    /** ∂L/∂q_i for every token, [N, D]. */
    public static INDArray perToken(INDArray q, INDArray zPre) {
        double scale = 2.0 / q.length();
        return q.sub(zPre).muli(scale);
    }

    /** ∂L/∂C [K, D]: the per-token gradients summed into the rows their tokens chose. */
    public static INDArray scatter(INDArray perToken, int[] indices, int codebookSize) {
        int d = (int) perToken.columns();
        INDArray dense = perToken.castTo(DataType.FLOAT).dup('c');
        float[] g = dense.data().asFloat();
        dense.close();
        float[] out = new float[codebookSize * d];
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i] * d;
            int from = i * d;
            for (int c = 0; c < d; c++) {
                out[row + c] += g[from + c];
            }
        }
        return Nd4j.create(out, new long[] {codebookSize, d}, 'c');
    }

    /**
     * As {@link #scatter}, into {@code out} [K, D] (float, row-major, overwritten): the same sums in
     * the same order, without a fresh K × D array every step.
     */
    public static void scatterInto(INDArray perToken, int[] indices, INDArray out) {
        int d = (int) perToken.columns();
        INDArray dense = perToken.castTo(DataType.FLOAT).dup('c');
        float[] g = dense.data().asFloat();
        dense.close();
        out.assign(0);
        FloatBuffer o = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i] * d;
            int from = i * d;
            for (int c = 0; c < d; c++) {
                o.put(row + c, o.get(row + c) + g[from + c]);
            }
        }
    }

    /** The codebook term's value mean((q − zPre)²). */
    public static double value(INDArray q, INDArray zPre) {
        INDArray diff = q.sub(zPre);
        INDArray squares = diff.mul(diff);
        double v = squares.meanNumber().doubleValue();
        squares.close();
        diff.close();
        return v;
    }
}
