package org.ablate.quantizers.quantizer;

import java.util.SplittableRandom;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Vanilla VQ as in taming-transformers' VectorQuantizer2: a trainable K × d codebook initialised
 * uniform(±1/K), squared-L2 nearest code, codebook trained by Adam on mean((q − sg(z))²) only —
 * so a code that is never chosen never receives a gradient.
 */
public final class VanillaVq implements Quantizer {

    public static final ParameterSchema SCHEMA = ParameterSchema.empty();

    @Override
    public QuantizerState create(QuantizerSetup setup, Parameters params) {
        int k = setup.codebookSize();
        INDArray codebook = Codebooks.uniform(k, setup.latentDim(), 1.0 / k, new SplittableRandom(setup.seed()));
        return new State(codebook, setup);
    }

    static final class State implements QuantizerState {
        private final AdamStep adam;
        private final QuantizerSetup setup;
        private long rowsChanged = -1;

        State(INDArray codebook, QuantizerSetup setup) {
            this.adam = new AdamStep(codebook, setup.learningRate());
            this.setup = setup;
        }

        INDArray codebook() {
            return adam.param();
        }

        @Override
        public SDVariable preQuantize(SameDiff sd, SDVariable z) {
            return z;
        }

        @Override
        public SDVariable postQuantize(SameDiff sd, SDVariable zq) {
            return zq;
        }

        @Override
        public int codeDim() {
            return setup.latentDim();
        }

        @Override
        public int codebookSize() {
            return setup.codebookSize();
        }

        @Override
        public Assignment assign(INDArray zPre) {
            int[] idx = NearestCode.search(zPre, codebook(), setup.searchBound());
            return new Assignment(idx, NearestCode.gather(codebook(), idx));
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            double value = CodebookGradient.value(a.quantized(), zPre);
            INDArray perToken = CodebookGradient.perToken(a.quantized(), zPre);
            INDArray grad = CodebookGradient.scatter(perToken, a.indices(), codebookSize());
            INDArray before = codebook().dup();
            adam.apply(grad);
            rowsChanged = Codebooks.rowsDiffering(before, codebook());
            before.close();
            grad.close();
            perToken.close();
            return value;
        }

        @Override
        public INDArray decode(int[] indices) {
            return NearestCode.gather(codebook(), indices);
        }

        @Override
        public long rowsChanged() {
            return rowsChanged;
        }
    }
}
