package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.lfqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ablate.quantizers.model.Quietly;
import org.ablate.quantizers.spi.QuantizerState;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * LFQ's entropy term, w·(mean per-token entropy − codebook entropy), against hand-computed cases
 * and an independent brute-force sum over all K codes. Pre-quantisation values z give bit
 * probabilities sigmoid(4z); z = ±10 is a certain bit, z = 0 a fair coin.
 */
class LfqEntropyTest {

    private static final double W = 0.1;
    private static final double LN2 = Math.log(2);

    private static double extraLoss(String entropy, double[][] z) {
        int bits = z[0].length;
        QuantizerState lfq = new Lfq(lfqParams(W, entropy)).create(setup(8, 1 << bits, 0.25, 1e-3, 1));
        SameDiff sd = SameDiff.create();
        SDVariable loss = lfq.extraLoss(sd, sd.var("z", Nd4j.create(z)));
        return Quietly.run(() -> sd.outputSingle(Map.of(), loss.name())).getDouble(0);
    }

    /** Binary entropy in nats. */
    private static double h(double p) {
        return p <= 0 || p >= 1 ? 0 : -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }

    @Test
    void jointIsTheDefault() {
        assertEquals(Lfq.JOINT, Lfq.SCHEMA.parameters().stream().filter(s -> s.name().equals("entropy"))
                .findFirst().orElseThrow().defaultValue());
    }

    /** K = 8, bits that flip together: four certain tokens on codes 000 and 111 only. */
    @Test
    void bitsThatFlipTogetherHaveLowJointAndHighPerBitEntropy() {
        double[][] z = {{-10, -10, -10}, {10, 10, 10}, {-10, -10, -10}, {10, 10, 10}};
        // two codes used half the time each: ln 2; every bit is on half the time: 3 ln 2; tokens are certain: 0
        assertEquals(W * (0 - LN2), extraLoss(Lfq.JOINT, z), 1e-5, "joint: two of 8 codes used");
        assertEquals(W * (0 - 3 * LN2), extraLoss(Lfq.PER_BIT, z), 1e-5, "per bit: maximal although 2 of 8 codes are used");
    }

    /** K = 8, fair coins everywhere: each token spreads evenly over the 8 codes, and so does the batch. */
    @Test
    void fairCoinsGiveZeroInBothForms() {
        double[][] z = {{0, 0, 0}, {0, 0, 0}};
        assertEquals(0.0, extraLoss(Lfq.JOINT, z), 1e-5);
        assertEquals(0.0, extraLoss(Lfq.PER_BIT, z), 1e-5);
    }

    /**
     * K = 16. Token A: bit 0 a fair coin, bit 1 on, bits 2–3 off: codes 2 and 3 with ½ each.
     * Token B: code 0. Batch mean: {0: ½, 2: ¼, 3: ¼}, entropy 1.5 ln 2; the tokens' mean entropy
     * ½ ln 2. Per bit: mean bit probabilities (¼, ½, 0, 0), entropy h(¼) + ln 2.
     */
    @Test
    void aHandComputedCaseAtK16() {
        double[][] z = {{0, 10, -10, -10}, {-10, -10, -10, -10}};
        assertEquals(W * (0.5 * LN2 - 1.5 * LN2), extraLoss(Lfq.JOINT, z), 1e-5, "joint");
        assertEquals(W * (0.5 * LN2 - (h(0.25) + LN2)), extraLoss(Lfq.PER_BIT, z), 1e-5, "per bit");
    }

    /** Independent of the graph: the batch-mean distribution over every code, summed directly. */
    private static double bruteForceJoint(double[][] z) {
        int n = z.length;
        int bits = z[0].length;
        double[] mean = new double[1 << bits];
        for (double[] token : z) {
            for (int k = 0; k < mean.length; k++) {
                double p = 1;
                for (int j = 0; j < bits; j++) {
                    double on = 1 / (1 + Math.exp(-4 * token[j]));
                    p *= ((k >>> j) & 1) == 1 ? on : 1 - on;
                }
                mean[k] += p / n;
            }
        }
        double perToken = 0;
        for (double[] token : z) {
            for (double v : token) {
                perToken += h(1 / (1 + Math.exp(-4 * v))) / n;
            }
        }
        double codebook = 0;
        for (double p : mean) {
            codebook -= p > 0 ? p * Math.log(p) : 0;
        }
        return W * (perToken - codebook);
    }

    private static double[][] random(int n, int bits, long seed) {
        Random r = new Random(seed);
        double[][] z = new double[n][bits];
        for (double[] row : z) {
            for (int j = 0; j < bits; j++) {
                row[j] = r.nextGaussian() * 0.4;
            }
        }
        return z;
    }

    @Test
    void jointMatchesTheSumOverEveryCodeForOddAndEvenBitCounts() {
        for (int bits : new int[] {2, 3, 4, 5, 8}) {
            double[][] z = random(7, bits, bits);
            assertEquals(bruteForceJoint(z), extraLoss(Lfq.JOINT, z), 1e-5, "K = " + (1 << bits));
        }
    }

    /** The graph's gradient (through both halves' GEMMs) is that of the brute-force sum, by central differences. */
    @Test
    void jointGradientMatchesFiniteDifferencesOfTheSumOverEveryCode() {
        double[][] z = random(5, 5, 11);
        QuantizerState lfq = new Lfq(lfqParams(W, Lfq.JOINT)).create(setup(8, 32, 0.25, 1e-3, 1));
        SameDiff sd = SameDiff.create();
        SDVariable loss = lfq.extraLoss(sd, sd.var("z", Nd4j.create(z).castTo(DataType.DOUBLE)));
        sd.setLossVariables(loss.name());
        INDArray g = Quietly.run(() -> sd.calculateGradients(Map.of(), List.of("z"))).get("z");
        double eps = 1e-5;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                double saved = z[i][j];
                z[i][j] = saved + eps;
                double up = bruteForceJoint(z);
                z[i][j] = saved - eps;
                double down = bruteForceJoint(z);
                z[i][j] = saved;
                assertEquals((up - down) / (2 * eps), g.getDouble(i, j), 1e-7, "d/dz[" + i + "][" + j + "]");
            }
        }
    }

    /** K = 262,144 with a conv-autoencoder batch (64 images · 49 tokens): value and gradient without an N × K matrix. */
    @Test
    void jointAtK262144IsFiniteAndAtMostLnK() {
        int bits = 18;
        INDArray z = QuantizerFixtures.gaussian(64 * 49, bits, 0.5, 3);
        QuantizerState lfq = new Lfq(lfqParams(1.0, Lfq.JOINT)).create(setup(8, 1 << bits, 0.25, 1e-3, 1));
        SameDiff sd = SameDiff.create();
        SDVariable loss = lfq.extraLoss(sd, sd.var("z", z));
        sd.setLossVariables(loss.name());
        double value = Quietly.run(() -> sd.outputSingle(Map.of(), loss.name())).getDouble(0);
        INDArray g = Quietly.run(() -> sd.calculateGradients(Map.of(), List.of("z"))).get("z");
        // per-token entropy ≤ bits·ln 2 = ln K and codebook entropy ≤ ln K; 3,136 tokens cannot fill 262,144 codes
        assertTrue(value > -bits * LN2 && value < bits * LN2, "value " + value);
        for (double v : g.data().asDouble()) {
            assertTrue(Double.isFinite(v), "finite gradient");
        }
        assertTrue(g.norm2Number().doubleValue() > 0, "a gradient");
    }
}
