package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.params;
import static org.ablate.tracking.mlflow.MlflowTesting.remoteHistory;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.tags;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ablate.report.Configuration;
import org.ablate.report.ExperimentResults;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Run;

/** What a researcher sees in the MLflow UI's runs table (the shared server): the experiment's kind, the parent row. */
class MlflowRunsTableTest {

    @TempDir
    Path tmp;

    private static Map<String, String> experimentTags(MlflowConnection c, String name) {
        Experiment e = c.client().getExperimentByName(name).orElseThrow();
        Map<String, String> out = new TreeMap<>();
        for (ExperimentTag t : c.client().getExperiment(e.getExperimentId()).getTagsList()) {
            out.put(t.getKey(), t.getValue());
        }
        return out;
    }

    @Test
    void aNewExperimentOpensOnTrainingRunsAndAKindSetByHandIsKept() {
        String uri = MlflowServer.shared();
        String fresh = MlflowTesting.uniqueName("kind-new");
        String chosen = MlflowTesting.uniqueName("kind-chosen");
        try (MlflowConnection c = MlflowTesting.connect(uri, fresh)) {
            c.experimentId(fresh);
            assertEquals("custom_model_development", experimentTags(c, fresh).get("mlflow.experimentKind"));
            String id = c.client().createExperiment(chosen);
            c.client().setExperimentTag(id, "mlflow.experimentKind", "genai_development");
            assertEquals(id, c.experimentId(chosen));
            assertEquals("genai_development", experimentTags(c, chosen).get("mlflow.experimentKind"));
        }
    }

    @Test
    void theParentRowHoldsTheFixedParamsTheOutcomeTheClaimsAndTheMeans() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("table");
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            c.client().createExperiment(mlflowName); // made by hand before: it has no kind yet
        }
        Path file = Sweeps.write(tmp, "table", """
                task: probe
                params: {steps: 4, n: 20}
                sweep: {grid: {x: [1, 2], mode: [ok, fail]}}
                exclude: [{x: 2, mode: fail}]
                seeds: [0, 1]
                headline: result
                tracking: {experiment: %s}
                claims:
                  - {name: result-grows, check: increasing, metric: result, along: x, where: {mode: ok}}
                  - {name: result-tiny, check: at_most, metric: result, where: {x: 1, mode: ok}, value: 1}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--tracking-uri", uri, "--results-dir", results.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        ExperimentFolder folder = new ResultsStore(results).experiment("table");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));

        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            assertEquals("custom_model_development", experimentTags(c, mlflowName).get("mlflow.experimentKind"),
                    "an existing experiment without a kind gets it");
            List<Run> all = runs(c, mlflowName);
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);

            // params: what every trial shares; the swept keys and the seed vary, so they are the children's
            Map<String, String> p = params(parent);
            assertEquals("probe", p.get("task"));
            assertEquals("4", p.get("steps"));
            assertEquals("20", p.get("n"));
            assertEquals("plain", p.get("gadget"), "defaults resolved into every trial count as fixed too");
            assertFalse(p.containsKey("x") || p.containsKey("mode") || p.containsKey("seed"), p.toString());
            assertEquals("6", p.get("trials"));

            // the outcome, the claims and the headline per configuration
            Map<String, Double> metrics = new TreeMap<>();
            parent.getData().getMetricsList().forEach(m -> metrics.put(m.getKey(), m.getValue()));
            assertEquals(4.0, metrics.get("trials/finished"), metrics.toString());
            assertEquals(2.0, metrics.get("trials/failed"), metrics.toString());
            assertEquals(0.0, metrics.get("trials/interrupted"), metrics.toString());
            Map<String, String> t = tags(parent);
            assertEquals("PASS", t.get("ablate.claim.result-grows"), t.toString());
            assertEquals("FAIL", t.get("ablate.claim.result-tiny"), t.toString());
            for (Configuration conf : Configuration.aggregate(ExperimentResults.read(folder))) {
                if (conf.metrics().containsKey("result")) {
                    String key = "mean/result/" + conf.label().replace('=', ':');
                    assertEquals(conf.metrics().get("result").mean(), metrics.get(key), key + " in " + metrics);
                }
            }
            assertTrue(metrics.keySet().stream().filter(k -> k.startsWith("mean/")).count() >= 2, metrics.toString());

            // each trial's run holds its folder, trial.log included
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder trial : folder.trials()) {
                assertTrue(MlflowTesting.artifactPaths(c, children.get(trial.id())).contains(TrialFolder.LOG));
                assertTrialRun(c, trial, children.get(trial.id()), parent.getInfo().getRunId());
            }
        }
    }

    @Test
    void infiniteValuesArriveAsNaNWithTheirSignAsATag() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("infinite");
        Path file = Sweeps.write(tmp, "infinite", """
                task: probe
                params: {steps: 2}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        TrialFolder trial = new ResultsStore(results).experiment("infinite").trials().get(0);
        // a task that diverged: +Infinity in its history, -Infinity in its summary (as the store writes them)
        Files.writeString(trial.file(TrialFolder.METRICS), "{\"step\":2,\"name\":\"loss\",\"value\":\"Infinity\",\"timestamp\":"
                + System.currentTimeMillis() + "}\n", java.nio.file.StandardOpenOption.APPEND);
        Map<String, Object> summary = new java.util.LinkedHashMap<>(trial.summary());
        summary.put("ratio", "-Infinity");
        Json.writeAtomically(trial.file(TrialFolder.SUMMARY), summary);

        InProcessCli.Result sync = InProcessCli.run("sync", "infinite", "--tracking-uri", uri, "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.out() + sync.err());
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            Run run = childrenByTrial(runs(c, mlflowName)).get(trial.id());
            List<MlflowTesting.Point> loss = remoteHistory(c, run.getInfo().getRunId(), "loss");
            assertEquals(1, loss.size());
            assertTrue(Double.isNaN(loss.get(0).value()), "not the store's stand-in 1.797e308: " + loss);
            List<MlflowTesting.Point> ratio = remoteHistory(c, run.getInfo().getRunId(), "summary/ratio");
            assertTrue(Double.isNaN(ratio.get(0).value()), ratio.toString());
            Map<String, String> t = tags(run);
            assertEquals("+Infinity", t.get("ablate.infinite.loss"), t.toString());
            assertEquals("-Infinity", t.get("ablate.infinite.summary/ratio"), t.toString());
            assertTrialRun(c, trial, run, tags(run).get(Tags.PARENT));
        }
    }
}
