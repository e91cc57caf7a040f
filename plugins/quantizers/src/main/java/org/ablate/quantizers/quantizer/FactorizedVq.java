package org.ablate.quantizers.quantizer;

import jakarta.inject.Inject;
import java.util.SplittableRandom;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Factorised codes (ViT-VQGAN, "VQGAN-FC"): z is projected to a low lookup dimension and
 * l2-normalised, looked up by cosine similarity against l2-normalised codes, and the chosen code
 * is projected back up. The codebook trains by Adam on the codebook term, through the normalisation.
 */
public final class FactorizedVq implements Quantizer {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("lookup_dim").defaultValue(8).range(1, 1024).doc("Dimension of the lookup space."));

    private final int lookupDim;

    @Inject
    public FactorizedVq(@ComponentParams Parameters params) {
        this.lookupDim = params.getInt("lookup_dim");
    }

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        int k = setup.codebookSize();
        int l = lookupDim;
        INDArray codebook = Codebooks.gaussian(k, l, 1.0, new SplittableRandom(setup.seed()));
        return new State(setup, codebook, l);
    }

    static final class State implements QuantizerState {
        private final QuantizerSetup setup;
        private final AdamStep adam;
        private final int lookupDim;
        private final SearchBuffers searchBuffers = new SearchBuffers();
        private long rowsChanged = -1;

        State(QuantizerSetup setup, INDArray codebook, int lookupDim) {
            this.setup = setup;
            this.adam = new AdamStep(codebook, setup.learningRate());
            this.lookupDim = lookupDim;
        }

        private INDArray normalised() {
            INDArray norms = Transforms.sqrt(adam.param().mul(adam.param()).sum(true, 1), false).addi(1e-12);
            return adam.param().divColumnVector(norms);
        }

        @Override
        public SDVariable preQuantize(SameDiff sd, SDVariable z) {
            SDVariable low = Projection.linear(sd, "fc_in", z, setup.latentDim(), lookupDim, setup.seed() + 1);
            SDVariable norm = sd.math().sqrt(low.mul(low).sum(true, 1).add(1e-12));
            return low.div(norm);
        }

        @Override
        public SDVariable postQuantize(SameDiff sd, SDVariable zq) {
            return Projection.linear(sd, "fc_out", zq, lookupDim, setup.latentDim(), setup.seed() + 2);
        }

        @Override
        public int codeDim() {
            return lookupDim;
        }

        @Override
        public int codebookSize() {
            return setup.codebookSize();
        }

        @Override
        public Assignment assign(INDArray zPre) {
            INDArray codes = normalised();
            // both sides unit length: nearest in L2 = largest cosine
            int[] idx = NearestCode.search(zPre, codes, setup.searchBound(), searchBuffers);
            INDArray q = NearestCode.gather(codes, idx);
            codes.close();
            return new Assignment(idx, q);
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            double value = CodebookGradient.value(a.quantized(), zPre);
            INDArray perToken = CodebookGradient.perToken(a.quantized(), zPre);
            INDArray gradHat = CodebookGradient.scatter(perToken, a.indices(), codebookSize());
            // through ĉ = c/||c||: ∂L/∂c = (g − ĉ(ĉ·g)) / ||c||
            INDArray c = adam.param();
            INDArray norms = Transforms.sqrt(c.mul(c).sum(true, 1), false).addi(1e-12);
            INDArray hat = c.divColumnVector(norms);
            INDArray radial = hat.mul(gradHat).sum(true, 1);
            INDArray grad = gradHat.sub(hat.mulColumnVector(radial)).diviColumnVector(norms);
            INDArray before = c.dup();
            adam.apply(grad);
            rowsChanged = Codebooks.rowsDiffering(before, c);
            for (INDArray t : new INDArray[] {before, norms, hat, radial, gradHat, perToken}) {
                t.close();
            }
            return value;
        }

        @Override
        public INDArray decode(int[] indices) {
            INDArray codes = normalised();
            INDArray q = NearestCode.gather(codes, indices);
            codes.close();
            return q;
        }

        @Override
        public long rowsChanged() {
            return rowsChanged;
        }
    }
}
