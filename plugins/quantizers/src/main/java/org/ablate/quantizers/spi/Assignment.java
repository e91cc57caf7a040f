package org.ablate.quantizers.spi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The codes chosen for a batch of tokens: their indices and the quantised vectors q [N, codeDim]
 * the forward pass feeds to the straight-through estimator.
 */
public record Assignment(int[] indices, INDArray quantized) implements AutoCloseable {

    @Override
    public void close() {
        quantized.close();
    }
}
