package org.ablate.quantizers.quantizer;

import jakarta.inject.Inject;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lookup-free quantisation (MAGVIT-v2): project z to log2 K dimensions and take signs; the code is
 * the bit pattern. An entropy term (mean per-token entropy minus the entropy of the batch-averaged
 * code distribution) pushes towards confident tokens and even code usage.
 *
 * <p>A code's probability for a token is the product of its bits' probabilities sigmoid(±4z) (the
 * softmax over the K codes of −‖z − c‖², as in vector-quantize-pytorch). {@code entropy: joint}
 * (default; MAGVIT-v2 and the peer library) takes the entropy of the batch mean of that
 * distribution over all K codes; {@code per_bit} sums the entropies of the batch-mean bit
 * probabilities, which is maximal as soon as each bit is on half the time, even when bits flip
 * together and few codes are used. A token's own entropy is the sum of its bits' entropies in both.
 */
public final class Lfq implements Quantizer {

    public static final String JOINT = "joint";
    public static final String PER_BIT = "per_bit";

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.real("entropy_weight").defaultValue(0.1).range(0, 100).doc("Weight of the entropy term."),
            Param.choice("entropy", JOINT, PER_BIT).defaultValue(JOINT)
                    .doc("Codebook entropy: of the batch-mean distribution over all K codes (joint), or summed over bits of the batch-mean bit probabilities (per_bit)."));

    private final double entropyWeight;
    private final boolean joint;

    @Inject
    public Lfq(@ComponentParams Parameters params) {
        this.entropyWeight = params.getDouble("entropy_weight");
        this.joint = JOINT.equals(params.getString("entropy"));
    }

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        int k = setup.codebookSize();
        if (Integer.bitCount(k) != 1 || k < 2) {
            throw new IllegalArgumentException("lfq needs a power-of-two codebook_size (d = log2 K), got " + k);
        }
        return new State(setup, Integer.numberOfTrailingZeros(k), entropyWeight, joint);
    }

    static final class State implements QuantizerState {
        private final QuantizerSetup setup;
        private final int bits;
        private final double entropyWeight;
        private final boolean joint;

        State(QuantizerSetup setup, int bits, double entropyWeight, boolean joint) {
            this.setup = setup;
            this.bits = bits;
            this.entropyWeight = entropyWeight;
            this.joint = joint;
        }

        @Override
        public SDVariable preQuantize(SameDiff sd, SDVariable z) {
            return Projection.linear(sd, "lfq_in", z, setup.latentDim(), bits, setup.seed() + 1);
        }

        @Override
        public SDVariable postQuantize(SameDiff sd, SDVariable zq) {
            return Projection.linear(sd, "lfq_out", zq, bits, setup.latentDim(), setup.seed() + 2);
        }

        @Override
        public SDVariable extraLoss(SameDiff sd, SDVariable zPre) {
            if (entropyWeight == 0) {
                return null;
            }
            // per bit, the softmax over the codes ±1 of −(z ∓ 1)² is sigmoid(4z)
            SDVariable p = sd.nn().sigmoid(zPre.mul(4.0));
            SDVariable perToken = binaryEntropy(sd, p).sum(1).mean();
            // with one bit (K = 2) the distribution over codes is the bit's: both forms are one
            SDVariable codebook = joint && bits > 1 ? JointEntropy.of(sd, zPre.mul(4.0), bits)
                    : binaryEntropy(sd, p.mean(true, 0)).sum();
            return perToken.sub(codebook).mul(entropyWeight);
        }

        private static SDVariable binaryEntropy(SameDiff sd, SDVariable p) {
            SDVariable q = p.rsub(1.0);
            return p.mul(sd.math().log(p.add(1e-6))).add(q.mul(sd.math().log(q.add(1e-6)))).neg();
        }

        @Override
        public int codeDim() {
            return bits;
        }

        @Override
        public int codebookSize() {
            return 1 << bits;
        }

        @Override
        public Assignment assign(INDArray zPre) {
            int n = (int) zPre.rows();
            INDArray zc = zPre.castTo(DataType.FLOAT).dup('c');
            float[] z = zc.data().asFloat();
            zc.close();
            float[] q = new float[n * bits];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                int code = 0;
                for (int j = 0; j < bits; j++) {
                    boolean one = z[i * bits + j] >= 0;
                    q[i * bits + j] = one ? 1f : -1f;
                    code |= (one ? 1 : 0) << j;
                }
                idx[i] = code;
            }
            return new Assignment(idx, Nd4j.create(q, new long[] {n, bits}, 'c'));
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            return CodebookGradient.value(a.quantized(), zPre);
        }

        @Override
        public INDArray decode(int[] indices) {
            float[] q = new float[indices.length * bits];
            for (int i = 0; i < indices.length; i++) {
                for (int j = 0; j < bits; j++) {
                    q[i * bits + j] = ((indices[i] >>> j) & 1) == 1 ? 1f : -1f;
                }
            }
            return Nd4j.create(q, new long[] {indices.length, bits}, 'c');
        }
    }
}
