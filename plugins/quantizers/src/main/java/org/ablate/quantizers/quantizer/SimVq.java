package org.ablate.quantizers.quantizer;

import jakarta.inject.Inject;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.quantizers.metrics.EffectiveRank;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimVQ (Zhu et al.): a frozen K × d codebook C ~ N(0, 1/d) reparameterised by one trainable
 * linear layer, E = C·Wᵀ + b, recomputed every step. The codebook term's gradient reaches W and b
 * through every selected code, so every effective code moves every step. Options: train C too,
 * a diagonal W, no bias, a uniform C.
 */
public final class SimVq implements Quantizer {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.bool("train_codebook").defaultValue(false).doc("Train C as well as W (the paper's remark: may collapse)."),
            Param.choice("w", "full", "diagonal").defaultValue("full").doc("W as a full d×d matrix or a diagonal."),
            Param.bool("bias").defaultValue(true).doc("The linear layer's bias b."),
            Param.choice("codebook_init", "gaussian", "uniform").defaultValue("gaussian")
                    .doc("C ~ N(0, 1/d), or uniform with the same variance."));

    private final boolean trainCodebook;
    private final boolean diagonal;
    private final boolean bias;
    private final boolean gaussianInit;

    @Inject
    public SimVq(@ComponentParams Parameters params) {
        this.trainCodebook = params.getBoolean("train_codebook");
        this.diagonal = params.getString("w").equals("diagonal");
        this.bias = params.getBoolean("bias");
        this.gaussianInit = params.getString("codebook_init").equals("gaussian");
    }

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        int k = setup.codebookSize();
        int d = setup.latentDim();
        SplittableRandom random = new SplittableRandom(setup.seed());
        double std = 1.0 / Math.sqrt(d);
        INDArray c = gaussianInit
                ? Codebooks.gaussian(k, d, std, random)
                : Codebooks.uniform(k, d, std * Math.sqrt(3), random);
        // PyTorch nn.Linear's default: uniform(±1/√fan_in) for weight and bias
        double bound = 1.0 / Math.sqrt(d);
        INDArray w = diagonal ? Codebooks.uniform(1, d, bound, random) : Codebooks.uniform(d, d, bound, random);
        INDArray b = bias ? Codebooks.uniform(1, d, bound, random) : null;
        return new State(setup, c, w, b, diagonal, trainCodebook);
    }

    static final class State extends LatentCodebookState {
        private final INDArray c;
        private final AdamStep w;
        private final AdamStep b;
        private final AdamStep trainableC;
        private final boolean diagonal;
        private INDArray effective;
        /** Where the next effective codebook is computed; it and {@code effective} swap each update. */
        private INDArray spare;

        State(QuantizerSetup setup, INDArray c, INDArray w, INDArray b, boolean diagonal, boolean trainCodebook) {
            super(setup);
            this.c = c;
            this.w = new AdamStep(w, setup.learningRate());
            this.b = b == null ? null : new AdamStep(b, setup.learningRate());
            this.trainableC = trainCodebook ? new AdamStep(c, setup.learningRate()) : null;
            this.diagonal = diagonal;
            this.effective = effectiveCodebook();
        }

        /** E = C·Wᵀ + b (diagonal: C ⊙ w + b). */
        INDArray effectiveCodebook() {
            INDArray e = diagonal ? c.mulRowVector(w.param()) : Nd4j.gemm(c, w.param(), false, true);
            if (b != null) {
                e.addiRowVector(b.param());
            }
            return e;
        }

        /** As {@link #effectiveCodebook}, into {@code out} (same shape and order): the same operations. */
        private INDArray effectiveInto(INDArray out) {
            if (diagonal) {
                out.assign(c).muliRowVector(w.param());
            } else {
                Nd4j.gemm(c, w.param(), out, false, true, 1.0, 0.0);
            }
            if (b != null) {
                out.addiRowVector(b.param());
            }
            return out;
        }

        @Override
        INDArray lookupCodebook() {
            return effective;
        }

        INDArray frozenCodebook() {
            return c;
        }

        INDArray weight() {
            return w.param();
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            double value = CodebookGradient.value(a.quantized(), zPre);
            INDArray g = CodebookGradient.perToken(a.quantized(), zPre); // ∂L/∂e for each token's code
            INDArray cSel = NearestCode.gather(c, a.indices());
            INDArray gradC = trainableC == null ? null
                    : CodebookGradient.scatter(diagonal ? g.mulRowVector(w.param()) : Nd4j.gemm(g, w.param(), false, false),
                            a.indices(), codebookSize());
            // e_k = W c_k + b  ⇒  ∂L/∂W = Σ_i g_i c_{k(i)}ᵀ = Gᵀ C_sel;  ∂L/∂b = Σ_i g_i
            INDArray gradW = diagonal ? g.mul(cSel).sum(true, 0) : Nd4j.gemm(g, cSel, true, false);
            INDArray gradB = b == null ? null : g.sum(true, 0);
            w.apply(gradW);
            if (b != null) {
                b.apply(gradB);
            }
            if (trainableC != null) {
                trainableC.apply(gradC);
            }
            if (spare == null) {
                spare = Nd4j.createUninitialized(effective.dataType(), effective.shape(), effective.ordering());
            }
            INDArray next = effectiveInto(spare);
            rowsChanged = Codebooks.rowsDifferingInPlace(effective, next); // overwrites the old codebook
            spare = effective;
            effective = next;
            g.close();
            cSel.close();
            return value;
        }

        @Override
        public Map<String, Double> diagnostics() {
            INDArray matrix = diagonal ? Nd4j.diag(w.param().reshape(setup.latentDim())) : w.param();
            return Map.of("w_effective_rank", EffectiveRank.of(matrix.castTo(DataType.DOUBLE)));
        }
    }
}
