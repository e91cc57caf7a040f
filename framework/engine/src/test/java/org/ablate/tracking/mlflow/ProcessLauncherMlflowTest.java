package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.remoteHistory;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.testing.InProcessCli;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;

/** Trials run by child JVMs are mirrored by the parent, from their folders, as in-process ones are. */
class ProcessLauncherMlflowTest {

    @TempDir
    Path tmp;

    @Test
    void trialsRunInChildProcessesAreMirroredWholeByTheParent() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("process");
        Path file = Sweeps.write(tmp, "process", """
                task: probe
                params: {steps: 300, sleep_ms: 2}
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--tracking-uri", uri, "--results-dir",
                results.toString(), "--launcher", "process", "-j", "2", "--no-report");
        assertEquals(0, r.code(), r.out() + r.err());
        ExperimentFolder folder = new ResultsStore(results).experiment("process");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(3, all.size());
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            assertEquals(RunStatus.FINISHED, parent.getInfo().getStatus());
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                assertEquals(300, remoteHistory(c, children.get(t.id()).getInfo().getRunId(), "train/value").size());
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
            }
        }
    }
}
