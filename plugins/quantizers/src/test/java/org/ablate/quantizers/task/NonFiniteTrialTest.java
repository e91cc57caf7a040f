package org.ablate.quantizers.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trial whose loss goes non-finite stops FAILED with "non-finite … at step N: NaN", through the
 * CLI and the real task and trainer.
 *
 * <p>No parameter setting diverges reliably: Adam bounds every step by lr ≤ 1, the decoder ends in
 * a sigmoid, and lr = 1 with β = 100 trains 200 steps to a FINISHED trial. So a test plugin, found
 * through the context class loader as a plugin jar would be, adds a quantizer "nan-vq": vanilla VQ
 * whose chosen codes turn NaN from its third assignment on (the third training step).
 */
class NonFiniteTrialTest {

    private static final String SERVICES = "META-INF/services/org.ablate.spi.Plugin";

    @TempDir
    Path tmp;

    /** The test plugin. */
    public static final class NanPlugin extends AbstractPlugin {
        @Override
        public String name() {
            return "quantizers-nan-test";
        }

        @Override
        protected void configure() {
            registerComponent(Quantizer.class, "nan-vq", "Vanilla VQ whose codes turn NaN from a given assignment on.",
                    NanVq.SCHEMA, NanVq.class);
        }
    }

    /** Vanilla VQ whose assignments carry NaN codes from call {@code nan_from} on. */
    public static final class NanVq implements Quantizer {
        public static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.integer("nan_from").defaultValue(3).range(1, 1000).doc("First assignment with NaN codes."));

        private final int from;

        @jakarta.inject.Inject
        public NanVq(@ComponentParams Parameters params) {
            this.from = params.getInt("nan_from");
        }

        @Override
        public QuantizerState create(QuantizerSetup setup) {
            QuantizerState inner = new VanillaVq().create(setup);
            return new QuantizerState() {
                private int calls;

                @Override
                public SDVariable preQuantize(SameDiff sd, SDVariable z) {
                    return inner.preQuantize(sd, z);
                }

                @Override
                public SDVariable postQuantize(SameDiff sd, SDVariable zq) {
                    return inner.postQuantize(sd, zq);
                }

                @Override
                public int codeDim() {
                    return inner.codeDim();
                }

                @Override
                public int codebookSize() {
                    return inner.codebookSize();
                }

                @Override
                public Assignment assign(INDArray zPre) {
                    Assignment a = inner.assign(zPre);
                    if (++calls >= from) {
                        a.quantized().putScalar(0, 0, Float.NaN);
                    }
                    return a;
                }

                @Override
                public double update(INDArray zPre, Assignment assignment) {
                    return inner.update(zPre, assignment);
                }

                @Override
                public INDArray decode(int[] indices) {
                    return inner.decode(indices);
                }
            };
        }
    }

    /** The test class path plus one more services file naming the test plugin. */
    private static final class WithTestPlugin extends ClassLoader {
        private final URL extra;

        WithTestPlugin(ClassLoader parent, URL extra) {
            super(parent);
            this.extra = extra;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = Collections.list(super.getResources(name));
            if (name.equals(SERVICES)) {
                urls = new ArrayList<>(urls);
                urls.add(extra);
            }
            return Collections.enumeration(urls);
        }
    }

    @Test
    void aTrialWhoseLossGoesNanFailsWithTheStepAndTheValue() throws Exception {
        Path services = tmp.resolve("services");
        Files.writeString(services, NanPlugin.class.getName() + "\n", StandardCharsets.UTF_8);
        Path experiment = tmp.resolve("nan.yaml");
        Files.writeString(experiment, String.join("\n",
                "name: nan-trial",
                "task: vq-autoencoder",
                "params:",
                "  dataset: synthetic",
                "  train_subset: 64",
                "  test_subset: 16",
                "  model: mlp",
                "  quantizer: nan-vq",
                "  latent_dim: 4",
                "  codebook_size: 8",
                "  steps: 6",
                "  batch_size: 4",
                "  log_every: 1",
                "seeds: [0]",
                ""), StandardCharsets.UTF_8);
        Path results = tmp.resolve("results");
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        InProcessCli.Result run;
        thread.setContextClassLoader(new WithTestPlugin(saved, services.toUri().toURL()));
        try {
            run = InProcessCli.run("run", experiment.toString(), "--results-dir", results.toString());
        } finally {
            thread.setContextClassLoader(saved);
        }
        assertNotEquals(0, run.code(), run.toString());
        assertTrue(run.summaryLine("nan-trial").startsWith("nan-trial: 0 finished, 1 failed, 0 interrupted, 0 skipped"), run.toString());

        List<TrialFolder> trials = TrialRecords.trials(results, "nan-trial");
        assertEquals(1, trials.size());
        TrialStatus status = trials.get(0).status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertTrue(status.reason().matches(".*non-finite reconstruction loss at step \\d+: NaN"), status.reason());
        assertTrue(status.reason().startsWith("org.ablate.quantizers.model.NonFiniteLossException: "), status.reason());
        // steps 1 and 2 trained and logged finite losses; the third diverged
        Map<Long, Double> recon = TrialRecords.metric(trials.get(0), "train/loss_recon");
        assertEquals(List.of(1L, 2L), new ArrayList<>(recon.keySet()), recon.toString());
        recon.values().forEach(v -> assertTrue(Double.isFinite(v), recon.toString()));
        assertTrue(!Files.exists(trials.get(0).file(TrialFolder.SUMMARY)), "no summary for a failed trial");
    }
}
