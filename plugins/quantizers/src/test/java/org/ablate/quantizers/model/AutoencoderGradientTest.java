package org.ablate.quantizers.model;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.assertClose;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.maxAbs;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.minus;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ablate.quantizers.data.SyntheticImages;
import org.ablate.quantizers.quantizer.Fsq;
import org.ablate.quantizers.quantizer.QuantizerFixtures;
import org.ablate.quantizers.quantizer.SimVq;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graph's half of the VQ loss on a tiny MLP autoencoder (latent_dim 4, K = 8, 2 images = 98
 * tokens): the straight-through estimator, the commitment term and its weight β, and that neither
 * the codebook term nor any gradient to q lives in the graph beyond the commitment term.
 */
class AutoencoderGradientTest {

    private static final int D = 4;
    private static final int K = 8;
    private static final double BETA = 0.25;
    private static final long MODEL_SEED = 7;

    private static INDArray x;

    @BeforeAll
    static void images() {
        x = SyntheticImages.generate(2, 3, 5).batch(new int[] {0, 1});
    }

    private static QuantizerState vq(double beta) {
        return new VanillaVq().create(setup(D, K, beta, 1e-2, 3));
    }

    static Autoencoder build(Autoencoder.Architecture a, int d, QuantizerState q, double beta, long seed) {
        return Quietly.run(() -> Autoencoder.build(a, d, q, beta, seed));
    }

    private static INDArray zPre(Autoencoder m) {
        return m.graph().output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
    }

    private static Map<String, INDArray> gradients(Autoencoder m, INDArray q, String... names) {
        return Quietly.run(() -> m.graph().calculateGradients(Map.of(Autoencoder.X, x, Autoencoder.Q, q), List.of(names)));
    }

    /** β·2(zPre − q)/(N·D): the commitment term's gradient with respect to zPre. */
    private static double[][] commitmentGradient(double beta, double[][] zPre, double[][] q) {
        int n = zPre.length;
        double[][] g = new double[n][D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                g[i][j] = beta * 2 * (zPre[i][j] - q[i][j]) / (n * D);
            }
        }
        return g;
    }

    private static double[][] plus(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] + b[i][j];
            }
        }
        return out;
    }

    @Test
    void encoderGradientIsTheStraightThroughDecoderGradientPlusCommitment() {
        QuantizerState quantizer = vq(BETA);
        Autoencoder m = build(Autoencoder.Architecture.MLP, D, quantizer, BETA, MODEL_SEED);
        INDArray zPre = zPre(m);
        assertArrayEquals(new long[] {2 * Autoencoder.TOKENS, D}, zPre.shape());
        try (Assignment a = quantizer.assign(zPre)) {
            Map<String, INDArray> g = gradients(m, a.quantized(), Autoencoder.Z_PRE, Autoencoder.DECODER_INPUT);
            double[][] gz = toDouble(g.get(Autoencoder.Z_PRE));
            double[][] gDec = toDouble(g.get(Autoencoder.DECODER_INPUT));
            double[][] commit = commitmentGradient(BETA, toDouble(zPre), toDouble(a.quantized()));
            assertTrue(maxAbs(gDec) > 0 && maxAbs(commit) > 0, "both parts non-trivial");
            assertClose(plus(gDec, commit), gz, 1e-5 * maxAbs(gz), "∂L/∂zPre = ∂L/∂z_q (straight through) + β·2(zPre − q)/(N·D)");
            // the decoder gradient is not the identity's accident: without the commitment part the check fails
            assertTrue(maxAbs(minus(gz, gDec)) > 100 * 1e-5 * maxAbs(gz), "commitment part visible in ∂L/∂zPre");
        }
    }

    @Test
    void qGetsOnlyTheCommitmentGradientNoDecoderAndNoCodebookTerm() {
        QuantizerState quantizer = vq(BETA);
        Autoencoder m = build(Autoencoder.Architecture.MLP, D, quantizer, BETA, MODEL_SEED);
        INDArray zPre = zPre(m);
        try (Assignment a = quantizer.assign(zPre)) {
            double[][] gq = toDouble(gradients(m, a.quantized(), Autoencoder.Q).get(Autoencoder.Q));
            // d/dq of β·mean((q − zPre)²) = −(the commitment gradient w.r.t. zPre); the decoder's
            // path (sg(q − zPre)) contributes nothing, and the codebook term (weight 1) is not in the graph
            double[][] commit = commitmentGradient(BETA, toDouble(zPre), toDouble(a.quantized()));
            double[][] expected = minus(new double[commit.length][D], commit);
            assertClose(expected, gq, 1e-6 * maxAbs(expected), "∂L/∂q");
        }
    }

    @Test
    void lossesInTheGraphAreReconPlusBetaTimesTheCommitmentTerm() {
        QuantizerState quantizer = vq(BETA);
        Autoencoder m = build(Autoencoder.Architecture.MLP, D, quantizer, BETA, MODEL_SEED);
        INDArray zPre = zPre(m);
        try (Assignment a = quantizer.assign(zPre)) {
            Map<String, INDArray> out = m.graph().output(Map.of(Autoencoder.X, x, Autoencoder.Q, a.quantized()),
                    List.of(Autoencoder.LOSS_RECON, Autoencoder.LOSS_COMMIT, Autoencoder.LOSS, Autoencoder.RECON));
            double recon = out.get(Autoencoder.LOSS_RECON).getDouble(0);
            double commit = out.get(Autoencoder.LOSS_COMMIT).getDouble(0);
            double codebookTerm = org.ablate.quantizers.quantizer.CodebookGradient.value(a.quantized(), zPre);
            assertEquals(BETA * codebookTerm, commit, 1e-6 * commit, "loss_commit = β·mean((q − zPre)²)");
            assertEquals(recon + commit, out.get(Autoencoder.LOSS).getDouble(0), 1e-6 * (recon + commit), "loss = recon + commit");
            assertArrayEquals(new long[] {2, 1, 28, 28}, out.get(Autoencoder.RECON).shape());
            double[] r = toDoubleFlat(out.get(Autoencoder.RECON));
            double[] xs = toDoubleFlat(x);
            double mse = 0;
            for (int i = 0; i < r.length; i++) {
                mse += (r[i] - xs[i]) * (r[i] - xs[i]);
            }
            assertEquals(mse / r.length, recon, 1e-6 * recon, "loss_recon = mean((recon − x)²)");
        }
    }

    @Test
    void doublingBetaDoublesOnlyTheCommitmentPart() {
        QuantizerState q1 = vq(BETA);
        QuantizerState q2 = vq(2 * BETA);
        Autoencoder m1 = build(Autoencoder.Architecture.MLP, D, q1, BETA, MODEL_SEED);
        Autoencoder m2 = build(Autoencoder.Architecture.MLP, D, q2, 2 * BETA, MODEL_SEED);
        INDArray zPre = zPre(m1);
        assertArrayEquals(bits(zPre), bits(zPre(m2)), "same seed, same network");
        try (Assignment a1 = q1.assign(zPre); Assignment a2 = q2.assign(zPre)) {
            assertArrayEquals(a1.indices(), a2.indices());
            Map<String, INDArray> g1 = gradients(m1, a1.quantized(), Autoencoder.Z_PRE, Autoencoder.DECODER_INPUT);
            Map<String, INDArray> g2 = gradients(m2, a1.quantized(), Autoencoder.Z_PRE, Autoencoder.DECODER_INPUT);
            double[][] dec1 = toDouble(g1.get(Autoencoder.DECODER_INPUT));
            double[][] dec2 = toDouble(g2.get(Autoencoder.DECODER_INPUT));
            assertClose(dec1, dec2, 1e-6 * maxAbs(dec1), "the reconstruction gradient does not depend on β");
            double[][] commit1 = minus(toDouble(g1.get(Autoencoder.Z_PRE)), dec1);
            double[][] commit2 = minus(toDouble(g2.get(Autoencoder.Z_PRE)), dec2);
            double[][] twice = plus(commit1, commit1);
            assertClose(twice, commit2, 1e-4 * maxAbs(twice), "2β doubles the commitment part of ∂L/∂zPre");

            // the codebook update (outside the graph) does not depend on β
            double v1 = q1.update(zPre, a1);
            double v2 = q2.update(zPre, a2);
            assertEquals(v1, v2, 0.0);
            int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
            assertArrayEquals(bits(q1.decode(all)), bits(q2.decode(all)), "codebooks after the update are bit-identical");
            assertTrue(q1.rowsChanged() > 0);
        }
    }

    @Test
    void codebooksAreNotGraphVariables() {
        assertEquals(Set.of("enc1_w", "enc1_b", "enc2_w", "enc2_b", "dec1_w", "dec1_b", "dec2_w", "dec2_b"),
                trainable(build(Autoencoder.Architecture.MLP, D, vq(BETA), BETA, MODEL_SEED).graph()));
        QuantizerState simvq = new SimVq(QuantizerFixtures.simvqParams(false, "full", true, "gaussian")).create(setup(D, K, BETA, 1e-2, 3));
        Autoencoder s = build(Autoencoder.Architecture.MLP, D, simvq, BETA, MODEL_SEED);
        assertEquals(8, trainable(s.graph()).size(), "SimVQ's W and b train outside the graph: " + trainable(s.graph()));
        assertTrue(s.hasCommitment());
        assertFalse(s.hasExtraLoss());
    }

    @Test
    void fsqGraphHasNoCommitmentTermButItsProjections() {
        QuantizerState fsq = new Fsq(QuantizerFixtures.fsqParams(5, 4)).create(setup(D, 0, BETA, 1e-2, 3));
        Autoencoder m = build(Autoencoder.Architecture.MLP, D, fsq, BETA, MODEL_SEED);
        assertFalse(m.hasCommitment());
        assertFalse(m.graph().hasVariable(Autoencoder.LOSS_COMMIT));
        Set<String> vars = trainable(m.graph());
        assertTrue(vars.containsAll(Set.of("fsq_in_w", "fsq_in_b", "fsq_out_w", "fsq_out_b")), vars.toString());
        INDArray zPre = zPre(m);
        assertArrayEquals(new long[] {2 * Autoencoder.TOKENS, 2}, zPre.shape());
        double[][] z = toDouble(zPre);
        for (double[] row : z) {
            assertTrue(row[0] > -2.5 && row[0] < 2.5, "level 5 bounded to (−2.5, 2.5): " + row[0]);
            assertTrue(row[1] > -2.5 && row[1] < 1.5, "level 4 bounded to (−2.5, 1.5): " + row[1]);
        }
        try (Assignment a = fsq.assign(zPre)) {
            Map<String, INDArray> g = gradients(m, a.quantized(), Autoencoder.Z_PRE, Autoencoder.Q);
            assertTrue(maxAbs(toDouble(g.get(Autoencoder.Z_PRE))) > 0, "the rounding passes the gradient straight through");
            assertEquals(0.0, maxAbs(toDouble(g.get(Autoencoder.Q))), 0.0, "without commitment q gets no gradient at all");
        }
    }

    private static Set<String> trainable(SameDiff sd) {
        Set<String> out = new TreeSet<>();
        sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE).forEach(v -> out.add(v.name()));
        return out;
    }

    private static double[] toDoubleFlat(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
    }
}
