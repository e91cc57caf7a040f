package org.ablate.quantizers.model;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.data.SyntheticImages;
import org.ablate.quantizers.quantizer.QuantizerFixtures;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One training step's bookkeeping, and divergence stopping the run with the step and the loss. */
class TrainerTest {

    private static final int D = 4;
    private static final int K = 16;
    private static final double BETA = 0.25;

    private static final ImageDataset DATA = SyntheticImages.generate(12, 3, 9);

    private static INDArray batch(int from) {
        return DATA.batch(new int[] {from, from + 1, from + 2});
    }

    private static INDArray nanBatch() {
        INDArray x = batch(0).dup();
        x.putScalar(new long[] {1, 0, 14, 14}, Float.NaN);
        return x;
    }

    private static Trainer trainer(QuantizerState q) {
        Autoencoder m = AutoencoderGradientTest.build(Autoencoder.Architecture.MLP, D, q, BETA, 5);
        return new Trainer(m, q, 1e-3);
    }

    @Test
    void aMeasuredStepReportsConsistentLosses() {
        QuantizerState q = new VanillaVq().create(setup(D, K, BETA, 1e-3, 2));
        Trainer t = trainer(q);
        TrainStep s = Quietly.run(() -> t.step(batch(0)));
        assertEquals(1, t.steps());
        assertEquals(3 * Autoencoder.TOKENS, s.indices().length);
        assertTrue(s.reconLoss() > 0 && s.codebookLoss() > 0, s.toString());
        // the graph's commitment term and the codebook term use the same zPre and q
        assertEquals(BETA * s.codebookLoss(), s.commitLoss(), 1e-6 * s.commitLoss());
        assertEquals(s.reconLoss() + s.commitLoss(), s.total(), 0.0);
        assertEquals(0.0, s.extraLoss(), 0.0);
        // first Adam step on the codebook: exactly the chosen codes move
        assertEquals(Arrays.stream(s.indices()).distinct().count(), s.rowsChanged());
        TrainStep unmeasured = t.step(batch(3), false);
        assertTrue(Double.isNaN(unmeasured.reconLoss()), "an unmeasured step has no reconstruction loss");
        assertTrue(Double.isFinite(unmeasured.codebookLoss()));
        assertEquals(2, t.steps());
    }

    /**
     * Every family through the whole graph, both architectures: a regression test for FSQ, whose
     * loss (no commitment, no extra term) once took loss_recon's name away, so every FSQ trial failed.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Autoencoder.Architecture.class)
    void everyQuantizerFamilyTrainsMeasuredSteps(Autoencoder.Architecture architecture) {
        Map<String, QuantizerState> all = new java.util.LinkedHashMap<>();
        all.put("vq", QuantizerFixtures.allFamilies(D, K, 3).get("vq"));
        all.put("simvq", QuantizerFixtures.allFamilies(D, K, 3).get(
                "simvq(train_codebook=false, w=full, bias=true, init=gaussian)"));
        all.put("vq-fc", QuantizerFixtures.allFamilies(D, K, 3).get("vq-fc"));
        all.put("vq-ema", QuantizerFixtures.allFamilies(D, K, 3).get("vq-ema"));
        all.put("fsq", new org.ablate.quantizers.quantizer.Fsq(QuantizerFixtures.fsqParams(4, 4)).create(setup(D, K, BETA, 1e-3, 3)));
        all.put("lfq", new org.ablate.quantizers.quantizer.Lfq(QuantizerFixtures.lfqParams(0.1)).create(setup(D, K, BETA, 1e-3, 3)));
        for (Map.Entry<String, QuantizerState> e : all.entrySet()) {
            Autoencoder m = AutoencoderGradientTest.build(architecture, D, e.getValue(), BETA, 5);
            Trainer t = new Trainer(m, e.getValue(), 1e-3);
            TrainStep first = Quietly.run(() -> t.step(batch(0)));
            TrainStep second = Quietly.run(() -> t.step(batch(3)));
            assertTrue(Double.isFinite(first.reconLoss()) && first.reconLoss() > 0, e.getKey() + ": " + first);
            assertTrue(Double.isFinite(second.reconLoss()), e.getKey() + ": " + second);
            assertEquals(2, t.steps(), e.getKey());
        }
    }

    @Test
    void reconstructUsesTheCodesTheQuantizerChooses() {
        QuantizerState q = new VanillaVq().create(setup(D, K, BETA, 1e-3, 2));
        Trainer t = trainer(q);
        INDArray x = batch(6);
        Trainer.Reconstruction r = t.reconstruct(x);
        assertArrayEquals(new long[] {3, 1, 28, 28}, r.images().shape());
        INDArray zPre = t.model().graph().output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
        try (Assignment a = q.assign(zPre)) {
            assertArrayEquals(a.indices(), r.indices());
        }
        assertEquals(0, t.steps(), "reconstruct does not train");
        for (float v : QuantizerFixtures.bits(r.images())) {
            assertTrue(v >= 0 && v <= 1, "sigmoid output: " + v);
        }
    }

    @Test
    void aNanBatchStopsTrainingWithTheStepAndTheLoss() {
        QuantizerState q = new VanillaVq().create(setup(D, K, BETA, 1e-3, 2));
        Trainer t = trainer(q);
        Quietly.run(() -> t.step(batch(0)));
        t.step(batch(3));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.step(nanBatch()));
        assertTrue(e.getMessage().matches("non-finite reconstruction loss at step \\d+: NaN"), e.getMessage());
    }

    @Test
    void anUnmeasuredStepCatchesDivergenceThroughTheCodebookTerm() {
        QuantizerState q = new VanillaVq().create(setup(D, K, BETA, 1e-3, 2));
        Trainer t = trainer(q);
        Quietly.run(() -> t.step(batch(0)));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.step(nanBatch(), false));
        assertTrue(e.getMessage().matches("non-finite codebook loss at step \\d+: NaN"), e.getMessage());
    }

    /**
     * The task logs its first step's metrics as step 1 (and Trainer.steps() counts completed steps),
     * so a loss that goes non-finite in the third step should be reported "at step 3".
     */
    @Test
    void theFailingStepIsNumberedLikeTheMetrics() {
        QuantizerState q = new VanillaVq().create(setup(D, K, BETA, 1e-3, 2));
        Trainer t = trainer(q);
        Quietly.run(() -> t.step(batch(0)));
        t.step(batch(3));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.step(nanBatch()));
        assertEquals("non-finite reconstruction loss at step 3: NaN", e.getMessage());
    }
}
