package org.ablate.quantizers.quantizer;

import java.util.SplittableRandom;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.ParameterSchema;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Vanilla VQ as in taming-transformers' VectorQuantizer2: a trainable K × d codebook initialised
 * uniform(±1/K), squared-L2 nearest code, codebook trained by Adam on mean((q − sg(z))²) only —
 * so a code that is never chosen never receives a gradient.
 */
public final class VanillaVq implements Quantizer {

    public static final ParameterSchema SCHEMA = ParameterSchema.empty();

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        int k = setup.codebookSize();
        INDArray codebook = Codebooks.uniform(k, setup.latentDim(), 1.0 / k, new SplittableRandom(setup.seed()));
        return new State(codebook, setup);
    }

    static final class State extends LatentCodebookState {
        private final AdamStep adam;
        /** The codebook gradient and the pre-update copy, [K, d] each, reused every step. */
        private final INDArray grad;
        private final INDArray before;

        State(INDArray codebook, QuantizerSetup setup) {
            super(setup);
            this.adam = new AdamStep(codebook, setup.learningRate());
            this.grad = Nd4j.create(codebook.dataType(), codebook.shape());
            this.before = Nd4j.create(codebook.dataType(), codebook.shape());
        }

        @Override
        INDArray lookupCodebook() {
            return adam.param();
        }

        INDArray codebook() {
            return adam.param();
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            double value = CodebookGradient.value(a.quantized(), zPre);
            INDArray perToken = CodebookGradient.perToken(a.quantized(), zPre);
            CodebookGradient.scatterInto(perToken, a.indices(), grad);
            before.assign(codebook());
            adam.apply(grad);
            rowsChanged = Codebooks.rowsDifferingInPlace(before, codebook());
            perToken.close();
            return value;
        }

    }
}
