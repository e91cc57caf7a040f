package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.remoteHistory;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;

/** A command task's points reach MLflow while its program still runs, and its run ends like a Java task's. */
class CommandTaskMlflowTest {

    @TempDir
    Path tmp;

    @Test
    void aProgramsPointsAreMirroredLiveAndItsRunMatchesItsFolder() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("command");
        Files.createDirectories(tmp.resolve("programs"));
        try (InputStream in = getClass().getResourceAsStream("/programs/live_probe.py")) {
            Files.copy(in, tmp.resolve("programs/live_probe.py"));
        }
        Path file = tmp.resolve("live.yaml");
        Files.writeString(file, """
                task: command
                command: [python3, programs/live_probe.py]
                schema: {k: {type: integer, default: 1}}
                seeds: [0]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        CompletableFuture<InProcessCli.Result> run = CompletableFuture.supplyAsync(() -> InProcessCli.run("run",
                file.toString(), "--tracking-uri", uri, "--results-dir", results.toString(), "--no-report"));
        ExperimentFolder folder = new ResultsStore(results).experiment("live");
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            int seen = 0;
            for (int i = 0; i < 600 && seen < 20; i++) {
                Thread.sleep(100);
                List<Run> all = folder.exists() ? runs(c, mlflowName) : List.of();
                Map<String, Run> children = all.isEmpty() ? Map.of() : childrenByTrial(all);
                if (!children.isEmpty()) {
                    seen = remoteHistory(c, children.values().iterator().next().getInfo().getRunId(), "train/loss").size();
                }
            }
            TrialFolder trial = folder.trials().get(0);
            assertEquals(20, seen, "the program's 20 points reached MLflow while it waited");
            assertEquals(TrialState.RUNNING, trial.status().orElseThrow().state(), "the program was still running");
            Files.writeString(trial.file("go"), "");
            InProcessCli.Result r = run.get(120, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.toString());
            assertEquals(List.of(), MlflowTesting.unsynced(folder));
            List<Run> all = runs(c, mlflowName);
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            assertEquals(RunStatus.FINISHED, parent.getInfo().getStatus());
            Run child = childrenByTrial(all).get(trial.id());
            assertTrue(child != null, all.toString());
            assertTrialRun(c, trial, child, parent.getInfo().getRunId());
        }
    }
}
