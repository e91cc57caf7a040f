package org.ablate.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example experiment end to end through the CLI, and what its numbers must satisfy. */
class ExampleQuickTest {

    private static final Path EXPERIMENT = Path.of("../../experiments/example-quick.yaml");

    @TempDir
    Path tmp;

    private String run(String... args) {
        InProcessCli.Result r = InProcessCli.run(args);
        assertEquals(0, r.code(), r.toString());
        return r.out();
    }

    @Test
    void theQuickExampleRunsOnceAndASecondRunDoesNothing() throws Exception {
        String results = tmp.resolve("results").toString();
        String first = run("run", EXPERIMENT.toString(), "--results-dir", results);
        assertTrue(first.startsWith("example-quick: 9 finished, 0 failed, 0 interrupted, 0 skipped"), first);
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "example-quick");
        assertEquals(9, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, TrialRecords.state(t));
            List<Map<?, ?>> metrics = TrialRecords.metricRecords(t);
            // checkpoints 64, 128, ..., 131072 and the final 200000, two metrics each
            assertEquals(2 * 13, metrics.size());
            // what the task declares is what it logs: the dry run checks report sections against it
            for (Map<?, ?> record : metrics) {
                String name = (String) record.get("name");
                assertTrue(MonteCarloPiTask.METRICS.hasStep(name), "undeclared step metric " + name);
            }
            for (String key : t.summary().keySet()) {
                assertTrue(MonteCarloPiTask.METRICS.hasSummary(key), "undeclared summary metric " + key);
            }
            assertTrue(Files.readString(t.file(TrialFolder.ARTIFACTS).resolve("estimate.txt")).startsWith("sampler="));
        }
        String second = run("run", EXPERIMENT.toString(), "--results-dir", results);
        assertTrue(second.startsWith("example-quick: 0 finished, 0 failed, 0 interrupted, 9 skipped"), second);
    }

    @Test
    void estimatesConvergeAtTheRatesTheoryPredicts() throws Exception {
        String results = tmp.resolve("results").toString();
        run("run", EXPERIMENT.toString(), "repeats=10", "samples=100000", "--results-dir", results);
        Map<String, List<Map<String, Object>>> bySampler = new HashMap<>();
        for (TrialFolder t : TrialRecords.trials(tmp.resolve("results"), "example-quick")) {
            String sampler = (String) TrialRecords.param(t, "sampler");
            bySampler.computeIfAbsent(sampler, k -> new ArrayList<>()).add(t.summary());
        }
        assertEquals(10, bySampler.get("uniform").size());
        int within = 0;
        for (Map<String, Object> s : bySampler.get("uniform")) {
            double err = Json.toDouble(s.get("abs_error"));
            double se = Json.toDouble(s.get("mc_std_error"));
            assertEquals(4 * Math.sqrt(Math.PI / 4 * (1 - Math.PI / 4) / 100_000), se, 2e-4);
            if (err <= 2 * se) {
                within++;
            }
        }
        assertTrue(within >= 8, "about 95% of plain MC errors lie within 2 standard errors; got " + within + "/10");
        double uniformSlope = meanOf(bySampler.get("uniform"), "error_slope");
        double haltonSlope = meanOf(bySampler.get("halton"), "error_slope");
        assertEquals(-0.5, uniformSlope, 0.2);
        assertEquals(-0.75, haltonSlope, 0.2);
        assertTrue(meanOf(bySampler.get("halton"), "abs_error") < meanOf(bySampler.get("uniform"), "abs_error") / 3);
    }

    private static double meanOf(List<Map<String, Object>> summaries, String key) {
        return summaries.stream().mapToDouble(s -> Json.toDouble(s.get(key))).average().orElseThrow();
    }
}
