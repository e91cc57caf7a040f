package org.ablate.quantizers.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.TrialSpec;
import org.ablate.plugin.PluginRuntime;
import org.ablate.quantizers.task.VqAutoencoderTask;
import org.ablate.spi.ComponentRegistry;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code implementation: torch} runs the vq-autoencoder trial through the PyTorch twin under the
 * command protocol, with the records a Java trial writes; the new parameters leave existing trial
 * ids as they were.
 */
class TorchImplementationTest {

    private static ComponentRegistry registry;

    @BeforeAll
    static void startEngine() {
        registry = PluginRuntime.start().registry();
    }

    private static List<String> ids(Path experiment, String... overrides) throws Exception {
        var spec = CommandLineOverrides.apply(ExperimentParser.parse(experiment), List.of(overrides));
        return new SweepExpander(registry).expand(spec).trials().stream().map(TrialSpec::id).toList();
    }

    @Test
    void existingExperimentsKeepTheirTrialIds() throws Exception {
        // printed by `bin/ablate run ... --dry-run` before the implementation and device parameters existed
        assertEquals(List.of("784962b65c0c", "a3166ea2637f", "8b598584795f", "b07fb9837fa8"),
                ids(Path.of("../../experiments/simvq-quick.yaml")));
        assertEquals(List.of("da4656ec42f5", "47fffd197566", "4b3daf176efd", "7a572882b02a"),
                // (the file as it was then: 200 steps, an evaluation every 50, three seeds)
                ids(Path.of("../../experiments/simvq-ablations.yaml"), "steps=200", "eval_every=50", "seeds=[0,1,2]").subList(0, 4));
        // written out at its default, a parameter left out of ids changes nothing either
        assertEquals(ids(Path.of("../../experiments/simvq-quick.yaml")),
                ids(Path.of("../../experiments/simvq-quick.yaml"), "implementation=ablate", "device=auto"));
    }

    @Test
    void theTorchImplementationAndADeviceAreTrialsOfTheirOwn() throws Exception {
        Path quick = Path.of("../../experiments/simvq-quick.yaml");
        List<String> ablate = ids(quick);
        List<String> torch = ids(quick, "implementation=torch");
        List<String> cpu = ids(quick, "implementation=torch", "device=cpu");
        for (int i = 0; i < ablate.size(); i++) {
            assertNotEquals(ablate.get(i), torch.get(i));
            assertNotEquals(torch.get(i), cpu.get(i));
        }
    }

    @Test
    void aTorchTrialRunsThroughTheTwinAndWritesTheJavaTasksRecords(@TempDir Path tmp) throws Exception {
        TorchTwinDefinitionsTest.python(); // skips without a python that has torch
        String yaml = """
                name: twin-smoke
                task: vq-autoencoder
                params:
                  implementation: torch
                  device: cpu
                  train_subset: 512
                  test_subset: 120
                  eval_subset: 50
                  model: mlp
                  latent_dim: 8
                  codebook_size: 64
                  steps: 12
                  batch_size: 16
                  log_every: 5
                  eval_every: 6
                sweep:
                  grid:
                    quantizer: [simvq, fsq, lfq]
                overrides:
                  - when: {quantizer: fsq}
                    set: {quantizer.levels: [4, 4, 4]}
                """;
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.runYaml(tmp, "twin-smoke", yaml);
        assertEquals(0, r.code(), r.toString());
        List<TrialFolder> trials = TrialRecords.trials(results, "twin-smoke");
        assertEquals(3, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, TrialRecords.state(t), t.id() + " " + r);
            Map<String, Object> summary = t.summary();
            for (String key : List.of("utilization", "perplexity", "mse", "psnr", "ssim", "codebook_size", "test_images",
                    "train_loss_recon", "train_loss_codebook", "seconds_per_step")) {
                assertTrue(summary.containsKey(key), t.id() + " lacks " + key + ": " + summary);
            }
            for (String key : summary.keySet()) {
                assertTrue(VqAutoencoderTask.METRICS.hasSummary(key), "undeclared summary metric " + key);
            }
            for (String name : TrialRecords.metricNames(t)) {
                assertTrue(VqAutoencoderTask.METRICS.hasStep(name), "undeclared step metric " + name);
            }
            assertEquals(120.0, TrialRecords.summary(t, "test_images"));
            double utilisation = TrialRecords.summary(t, "utilization");
            assertTrue(utilisation > 0 && utilisation <= 1, summary.toString());
            // logged at steps 1, 5, 10 and the last; evaluations at 6 and at the end
            assertEquals(java.util.Set.of(1L, 5L, 10L, 12L), TrialRecords.metric(t, "train/loss_recon").keySet());
            assertEquals(java.util.Set.of(6L, 12L), TrialRecords.metric(t, "eval/utilization").keySet());
            assertEquals(utilisation, TrialRecords.metric(t, "test/utilization").get(12L));
            assertTrue(Files.size(t.dir().resolve("artifacts/reconstructions.png")) > 100);
            String log = Files.readString(t.dir().resolve("trial.log"));
            assertTrue(log.contains("ablate_vq_torch: torch ") && log.contains("device cpu"), log);
        }
        Map<Object, TrialFolder> byQuantizer = new java.util.HashMap<>();
        for (TrialFolder t : trials) {
            byQuantizer.put(TrialRecords.param(t, "quantizer"), t);
        }
        assertEquals(64.0, TrialRecords.summary(byQuantizer.get("fsq"), "codebook_size"));
        assertTrue(byQuantizer.get("simvq").summary().containsKey("w_effective_rank"));
        assertTrue(TrialRecords.metric(byQuantizer.get("simvq"), "train/rows_changed").get(5L) == 64.0,
                "every SimVQ code moves every step");
        assertTrue(TrialRecords.metricNames(byQuantizer.get("lfq")).contains("train/loss_entropy"));
    }

    @Test
    void deviceCudaWithTheAblateImplementationFailsTheTrialSayingWhy(@TempDir Path tmp) throws Exception {
        String yaml = """
                name: twin-device
                task: vq-autoencoder
                params: {device: cuda, train_subset: 64, test_subset: 20, model: mlp, latent_dim: 4, codebook_size: 8, steps: 1, batch_size: 4}
                """;
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.runYaml(tmp, "twin-device", yaml);
        TrialFolder t = TrialRecords.trials(results, "twin-device").get(0);
        assertEquals(TrialState.FAILED, TrialRecords.state(t), r.toString());
        assertTrue(r.toString().contains("device: cuda needs implementation: torch"), r.toString());
    }
    private static Process standalone(Path dir, String... more) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(TorchTwinDefinitionsTest.python(), "-m", TwinSources.MODULE,
                "--trial-dir", dir.toString()));
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // as on a GPU host without a JVM: the twin and the framework's client from a checkout
        pb.environment().put("PYTHONPATH", TwinSources.pythonPath() + java.io.File.pathSeparator
                + Path.of("../../framework/spi/src/main/python").toAbsolutePath().normalize());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return pb.start();
    }

    @Test
    void theTwinRunsOnItsOwnAgainstAPreparedTrialFolder(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("trial"));
        Files.writeString(dir.resolve("task.json"), """
                {"trial_id": "abc123", "seed": 4, "resources": {"threads": 1, "gpus": []},
                 "params": {"quantizer": "vq", "model": "mlp", "latent_dim": 4, "codebook_size": 16, "train_subset": 64,
                            "test_subset": 20, "steps": 3, "batch_size": 8, "log_every": 1, "device": "auto"}}
                """);
        Process p = standalone(dir);
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("device cpu"), "auto is the CPU without a GPU: " + out);
        String summary = Files.readString(dir.resolve("summary.json"));
        assertTrue(summary.contains("\"utilization\"") && summary.contains("\"test_images\" : 20.0"), summary);
        assertEquals(3, Files.readAllLines(dir.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"train/loss_recon\"")).count());
        assertTrue(Files.size(dir.resolve("artifacts/reconstructions.png")) > 100);
    }

    @Test
    void theStandaloneTwinRefusesCudaWithoutAGpuOnOneLineWithExitTwo(@TempDir Path tmp) throws Exception {
        assumeTrue(!Files.exists(Path.of("/dev/nvidia0")), "a GPU is present");
        Path dir = Files.createDirectories(tmp.resolve("trial"));
        Files.writeString(dir.resolve("task.json"), """
                {"trial_id": "abc124", "seed": 0, "resources": {"threads": 1, "gpus": []},
                 "params": {"quantizer": "vq", "model": "mlp", "steps": 1, "device": "cuda"}}
                """);
        Process p = standalone(dir);
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals("ablate_vq_torch: device: cuda, but PyTorch sees no CUDA device (accepted: auto, cpu, cuda)",
                out.lines().reduce((a, b) -> b).orElse(""));
    }
}
