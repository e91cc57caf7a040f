package org.ablate.quantizers.model;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.data.SyntheticImages;
import org.ablate.quantizers.quantizer.QuantizerFixtures;
import org.ablate.quantizers.quantizer.SimVq;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Same seed, same numbers: two trainers built from one seed give bit-identical losses, codes and
 * codebooks step after step on the CPU; and the loss terms a measured step reports (read from the
 * training pass) are those a separate forward pass gives at the parameters the step starts from.
 */
class TrainerDeterminismTest {

    private static final int D = 4;
    private static final int K = 16;
    private static final double BETA = 0.25;
    private static final ImageDataset DATA = SyntheticImages.generate(12, 3, 9);

    private static QuantizerState quantizer(String family) {
        return family.equals("vq")
                ? new VanillaVq().create(setup(D, K, BETA, 1e-3, 2))
                : new SimVq(QuantizerFixtures.simvqParams(false, "full", true, "gaussian")).create(setup(D, K, BETA, 1e-3, 2));
    }

    private static Trainer trainer(Autoencoder.Architecture architecture, String family) {
        QuantizerState q = quantizer(family);
        return new Trainer(AutoencoderGradientTest.build(architecture, D, q, BETA, 5), q, 1e-3);
    }

    /** Every number three steps (measured, unmeasured, measured) produce, as raw bits. */
    private static List<Long> run(Trainer t) {
        List<Long> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            INDArray x = DATA.batch(new int[] {3 * s, 3 * s + 1, 3 * s + 2});
            boolean measure = s != 1;
            TrainStep step = Quietly.run(() -> t.step(x, measure));
            out.add(Double.doubleToRawLongBits(step.reconLoss()));
            out.add(Double.doubleToRawLongBits(step.codebookLoss()));
            out.add(Double.doubleToRawLongBits(step.commitLoss()));
            out.add(step.rowsChanged());
            for (int i : step.indices()) {
                out.add((long) i);
            }
        }
        int[] all = new int[K];
        for (int i = 0; i < K; i++) {
            all[i] = i;
        }
        for (float v : bits(t.quantizer().decode(all))) {
            out.add((long) Float.floatToRawIntBits(v));
        }
        INDArray zPre = t.model().graph().output(Map.of(Autoencoder.X, DATA.batch(new int[] {9, 10, 11})), Autoencoder.Z_PRE)
                .get(Autoencoder.Z_PRE);
        for (float v : bits(zPre)) {
            out.add((long) Float.floatToRawIntBits(v));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Autoencoder.Architecture.class)
    void theSameSeedGivesBitIdenticalStepsRunToRun(Autoencoder.Architecture architecture) {
        for (String family : List.of("vq", "simvq")) {
            List<Long> first = run(trainer(architecture, family));
            List<Long> second = run(trainer(architecture, family));
            assertEquals(first, second, architecture + " " + family + ": two runs from one seed differ");
        }
    }

    @ParameterizedTest
    @EnumSource(Autoencoder.Architecture.class)
    void aMeasuredStepReportsTheLossesOfAForwardPassAtItsStartingParameters(Autoencoder.Architecture architecture) {
        for (String family : List.of("vq", "simvq")) {
            Trainer t = trainer(architecture, family);
            for (int s = 0; s < 2; s++) {
                INDArray x = DATA.batch(new int[] {3 * s, 3 * s + 1, 3 * s + 2});
                INDArray zPre = t.model().graph().output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
                double recon;
                double commit;
                try (Assignment a = t.quantizer().assign(zPre)) {
                    Map<String, INDArray> out = t.model().graph().output(Map.of(Autoencoder.X, x, Autoencoder.Q, a.quantized()),
                            List.of(Autoencoder.LOSS_RECON, Autoencoder.LOSS_COMMIT));
                    recon = out.get(Autoencoder.LOSS_RECON).getDouble(0);
                    commit = out.get(Autoencoder.LOSS_COMMIT).getDouble(0);
                }
                TrainStep step = Quietly.run(() -> t.step(x));
                assertEquals(recon, step.reconLoss(), 1e-6 * recon, architecture + " " + family + " step " + s + ": recon");
                assertEquals(commit, step.commitLoss(), 1e-6 * commit, architecture + " " + family + " step " + s + ": commit");
            }
        }
    }
}
