package org.ablate.quantizers.quantizer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * ND4J's Adam for one parameter array trained outside the graph (a codebook, SimVQ's W). As in
 * PyTorch, a row whose gradient is zero still moves once it has momentum; only on the first step
 * are exactly the rows with a gradient changed.
 */
public final class AdamStep {

    private final INDArray param;
    private final GradientUpdater<?> updater;
    private int iteration;

    public AdamStep(INDArray param, double learningRate) {
        this.param = param;
        Adam adam = new Adam(learningRate);
        INDArray state = Nd4j.zeros(param.dataType(), 1, 2 * param.length());
        this.updater = adam.instantiate(state, true);
    }

    /** Applies one step: {@code gradient} (same shape as the parameter) is consumed. */
    public void apply(INDArray gradient) {
        updater.applyUpdater(gradient, iteration++, 0);
        param.subi(gradient);
    }

    public INDArray param() {
        return param;
    }
}
