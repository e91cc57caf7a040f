package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** experiments/linf-quick.yaml end to end through the CLI (the module directory is the working directory). */
class LinfQuickTest {

    private static final Path EXPERIMENT = Path.of("../../experiments/linf-quick.yaml");

    @TempDir
    Path tmp;

    @Test
    void theQuickExperimentRunsOnceAndASecondRunSkipsEverything() throws Exception {
        Path results = tmp.resolve("results");
        InProcessCli.Result first = InProcessCli.runExperiment(EXPERIMENT, results);
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().startsWith("linf-quick: 16 finished, 0 failed, 0 interrupted, 0 skipped"), first.toString());

        List<TrialFolder> trials = TrialRecords.trials(results, "linf-quick");
        assertEquals(16, trials.size());
        Map<String, Double> failure = new HashMap<>();
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, TrialRecords.state(t), t.id());
            double rate = TrialRecords.summary(t, "failure_rate");
            assertTrue(rate >= 0 && rate <= 1, t.id() + ": failure_rate " + rate);
            double median = TrialRecords.summary(t, "eps_eff_median");
            assertTrue(median >= 0, t.id() + ": eps_eff_median " + median);
            String rule = (String) TrialRecords.param(t, "m");
            double m = TrialRecords.summary(t, "m");
            assertEquals(rule.equals("4 * d") ? 4 * 16 : 16 * 16, m, 0.0, t.id() + " with m = " + rule);
            assertEquals(20, TrialRecords.metric(t, "draw/eps_eff").size());
            // what the task declares is what it logs: the dry run checks report sections against it
            for (String key : t.summary().keySet()) {
                assertTrue(LinfRegressionTask.METRICS.hasSummary(key), "undeclared summary metric " + key);
            }
            for (String line : java.nio.file.Files.readAllLines(t.file(TrialFolder.METRICS))) {
                String name = (String) org.ablate.store.Json.MAPPER.readValue(line, Map.class).get("name");
                assertTrue(LinfRegressionTask.METRICS.hasStep(name), "undeclared step metric " + name);
            }
            failure.put(TrialRecords.param(t, "instance") + "/" + TrialRecords.param(t, "sketch") + "/" + (int) m, rate);
        }
        assertEquals(16, failure.size(), "every (instance, sketch, m) once: " + failure.keySet());
        // On the easy Gaussian instance a dense sketch at m = 16d meets eps = 1 in every draw
        // (eps_eff ≈ √(2d ln(2d)/m) ≈ 0.66 with small spread).
        assertEquals(0.0, failure.get("gaussian/gaussian/256"), failure.toString());
        assertEquals(0.0, failure.get("gaussian/srht/256"), failure.toString());
        // On Count-Sketch's hard instance at m = 16d = 256, Count-Sketch fails (rank-deficient with
        // probability 1 − Π_{i<16}(1 − i/256) ≈ 0.38, plus a collision of row n with probability ≈ 16/256),
        // while the Gaussian sketch does not.
        assertTrue(failure.get("countsketch-hard/countsketch/256") >= 0.15, failure.toString());
        assertEquals(0.0, failure.get("countsketch-hard/gaussian/256"), failure.toString());

        InProcessCli.Result second = InProcessCli.runExperiment(EXPERIMENT, results);
        assertEquals(0, second.code(), second.toString());
        assertTrue(second.out().startsWith("linf-quick: 0 finished, 0 failed, 0 interrupted, 16 skipped"), second.toString());
        assertEquals(16, TrialRecords.trials(results, "linf-quick").size());
    }
}
