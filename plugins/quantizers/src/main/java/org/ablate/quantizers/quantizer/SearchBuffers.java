package org.ablate.quantizers.quantizer;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arrays one nearest-code search needs (augmented codebook, augmented tokens, score blocks),
 * kept from call to call: on this VM a fresh tens-of-MB native array costs more than the gemm
 * that fills it (page faults and zeroing), and the shapes repeat every training step. A buffer is
 * replaced only when its shape changes (e.g. between training batches and evaluation batches).
 */
public final class SearchBuffers implements AutoCloseable {

    private INDArray augmented;
    private INDArray squares;
    private INDArray tokens;
    private INDArray scores;
    private INDArray tail;

    INDArray augmented(long k, long d) {
        return augmented = fit(augmented, new long[] {k, d + 1}, 'c');
    }

    /** Scratch [K, D] for the squared entries of the codebook. */
    INDArray squares(long k, long d) {
        return squares = fit(squares, new long[] {k, d}, 'c');
    }

    INDArray tokens(long n, long d) {
        return tokens = fit(tokens, new long[] {n, d + 1}, 'c');
    }

    /** A full score block [n, chunk], row-major. */
    INDArray scores(long n, long chunk) {
        return scores = fit(scores, new long[] {n, chunk}, 'c');
    }

    /** The last, shorter block of a scan [n, size], row-major. */
    INDArray tail(long n, long size) {
        return tail = fit(tail, new long[] {n, size}, 'c');
    }

    private static INDArray fit(INDArray current, long[] shape, char order) {
        if (current != null && Arrays.equals(current.shape(), shape) && current.ordering() == order) {
            return current;
        }
        if (current != null) {
            current.close();
        }
        // every element is written before it is read (assign or gemm with beta = 0)
        return Nd4j.createUninitialized(DataType.FLOAT, shape, order);
    }

    @Override
    public void close() {
        for (INDArray a : new INDArray[] {augmented, squares, tokens, scores, tail}) {
            if (a != null) {
                a.close();
            }
        }
        augmented = squares = tokens = scores = tail = null;
    }
}
