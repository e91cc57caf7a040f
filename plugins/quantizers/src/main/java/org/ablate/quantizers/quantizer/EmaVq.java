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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VQ with the codebook updated by exponential moving averages of the vectors assigned to each code
 * (van den Oord et al.; as in vector-quantize-pytorch): N_k ← γN_k + (1−γ)n_k,
 * m_k ← γm_k + (1−γ)Σz, c_k = m_k / N̂_k with Laplace smoothing. Optionally, codes whose average
 * count falls below a threshold are reset to random vectors of the batch.
 */
public final class EmaVq implements Quantizer {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.real("decay").defaultValue(0.99).range(0, 0.99999).doc("EMA decay γ."),
            Param.real("epsilon").defaultValue(1e-5).range(0, 1).doc("Laplace smoothing of the counts."),
            Param.real("dead_threshold").defaultValue(0.0).range(0, 1e6)
                    .doc("Reset codes whose EMA count is below this (0: never)."));

    private final double decay;
    private final double epsilon;
    private final double deadThreshold;

    @Inject
    public EmaVq(@ComponentParams Parameters params) {
        this.decay = params.getDouble("decay");
        this.epsilon = params.getDouble("epsilon");
        this.deadThreshold = params.getDouble("dead_threshold");
    }

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        int k = setup.codebookSize();
        SplittableRandom random = new SplittableRandom(setup.seed());
        INDArray codebook = Codebooks.uniform(k, setup.latentDim(), 1.0 / k, random);
        return new State(setup, codebook, decay, epsilon, deadThreshold, random);
    }

    static final class State extends LatentCodebookState {
        private final INDArray codebook;
        private final INDArray sums;
        private final float[] counts;
        private final double decay;
        private final double epsilon;
        private final double deadThreshold;
        private final SplittableRandom random;

        State(QuantizerSetup setup, INDArray codebook, double decay, double epsilon, double deadThreshold,
              SplittableRandom random) {
            super(setup);
            this.codebook = codebook;
            this.sums = codebook.dup();
            // counts start at 1 to match sums = codebook: starting at 0 would divide γ·c by ~ε on
            // the first update and throw every unused code far away (a known pitfall)
            this.counts = new float[setup.codebookSize()];
            java.util.Arrays.fill(counts, 1f);
            this.decay = decay;
            this.epsilon = epsilon;
            this.deadThreshold = deadThreshold;
            this.random = random;
        }

        @Override
        INDArray lookupCodebook() {
            return codebook;
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            double value = CodebookGradient.value(a.quantized(), zPre);
            int k = codebookSize();
            int d = codeDim();
            INDArray zc = zPre.castTo(DataType.FLOAT).dup('c');
            float[] z = zc.data().asFloat();
            zc.close();
            float[] batchCounts = new float[k];
            float[] batchSums = new float[k * d];
            int[] idx = a.indices();
            for (int i = 0; i < idx.length; i++) {
                batchCounts[idx[i]]++;
                for (int c = 0; c < d; c++) {
                    batchSums[idx[i] * d + c] += z[i * d + c];
                }
            }
            INDArray before = codebook.dup();
            float[] s = sums.data().asFloat();
            double total = 0;
            for (int j = 0; j < k; j++) {
                counts[j] = (float) (decay * counts[j] + (1 - decay) * batchCounts[j]);
                total += counts[j];
                for (int c = 0; c < d; c++) {
                    s[j * d + c] = (float) (decay * s[j * d + c] + (1 - decay) * batchSums[j * d + c]);
                }
            }
            float[] cb = new float[k * d];
            for (int j = 0; j < k; j++) {
                double smoothed = (counts[j] + epsilon) / (total + k * epsilon) * total;
                for (int c = 0; c < d; c++) {
                    cb[j * d + c] = (float) (s[j * d + c] / Math.max(smoothed, 1e-12));
                }
            }
            if (deadThreshold > 0) {
                for (int j = 0; j < k; j++) {
                    if (counts[j] < deadThreshold) {
                        int pick = random.nextInt(idx.length);
                        System.arraycopy(z, pick * d, cb, j * d, d);
                        System.arraycopy(z, pick * d, s, j * d, d);
                        counts[j] = 1;
                    }
                }
            }
            codebook.assign(Nd4j.create(cb, new long[] {k, d}, 'c'));
            sums.assign(Nd4j.create(s, new long[] {k, d}, 'c'));
            rowsChanged = Codebooks.rowsDiffering(before, codebook);
            before.close();
            return value;
        }

    }
}
