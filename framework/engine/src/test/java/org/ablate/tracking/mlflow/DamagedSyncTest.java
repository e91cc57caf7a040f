package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sync over a store with a damaged trial: that trial is named and not sent, the others are. */
class DamagedSyncTest {

    @TempDir
    Path tmp;

    @Test
    void aDamagedTrialIsNamedAndNotSentTheOthersAre() throws Exception {
        Assumptions.assumeTrue(System.getenv("MLFLOW_TRACKING_URI") == null, "MLFLOW_TRACKING_URI turns tracking on");
        try (MlflowServer server = MlflowServer.start(tmp.resolve("server"))) {
            Path file = Sweeps.write(tmp, "dsync", """
                    task: probe
                    sweep: {grid: {x: [1, 2]}}
                    tracking: {experiment: %s}
                    """.formatted(MlflowTesting.uniqueName("dsync")));
            Path results = tmp.resolve("results");
            Sweeps.run(file, results);
            TrialFolder damaged = new ResultsStore(results).experiment("dsync").trials().get(0);
            Files.writeString(damaged.file(TrialFolder.SUMMARY), "{\"result\": 1.5, ");
            InProcessCli.Result sync = InProcessCli.run("sync", "dsync", "--tracking-uri", server.uri(),
                    "--results-dir", results.toString());
            assertEquals(1, sync.code(), sync.out() + sync.err());
            assertTrue(sync.out().startsWith("dsync: 1 trial(s) synced to " + server.uri()), sync.out());
            assertTrue(sync.out().contains("\n  " + damaged.dir() + "/summary.json: truncated JSON (it ends at line 1, column 17 "
                    + "inside an unfinished value) (not sent; ablate run re-runs the trial)\n"), sync.out());
        }
    }
}
