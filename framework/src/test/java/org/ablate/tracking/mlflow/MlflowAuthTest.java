package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.CliProcess;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;

/** A secured MLflow server (basic-auth app): credentials from the environment, never shown. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowAuthTest {

    private static final String ADMIN_PASSWORD = "adm1n-Pa55word-for-tests";
    private static final String WRONG_TOKEN = "tok-7f3a9c1e55d0-do-not-print";

    private MlflowServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        server = MlflowServer.start(serverDir, Map.of("MLFLOW_FLASK_SERVER_SECRET_KEY", "ablate-tests",
                "MLFLOW_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD), "--app-name", "basic-auth");
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private record Child(int code, String output) {
    }

    private Child cli(Map<String, String> env, String... args) throws Exception {
        Path output = Files.createTempFile(tmp, "cli", ".txt");
        Process p = CliProcess.start(tmp, output, env, args);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the CLI did not exit");
        return new Child(p.exitValue(), Files.readString(output));
    }

    @Test
    void aRefusedTokenStopsTheSweepBeforeItStartsAndIsNeverShown() throws Exception {
        String mlflowName = MlflowTesting.uniqueName("auth-refused");
        Path file = Sweeps.write(tmp, "refused", """
                task: probe
                sweep: {grid: {x: [1, 2]}}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        Child run = cli(Map.of("MLFLOW_TRACKING_TOKEN", WRONG_TOKEN),
                "run", file.toString(), "--tracking-uri", server.uri(), "--results-dir", results.toString());
        assertEquals(5, run.code(), run.output());
        assertTrue(run.output().contains("ablate: tracking error: MLflow server " + server.uri() + " refused the credentials (HTTP 401, "
                + "MLFLOW_TRACKING_TOKEN)"), run.output());
        assertFalse(run.output().contains(WRONG_TOKEN), run.output());
        assertFalse(run.output().contains("Exception"), "one clear line, no stack trace: " + run.output());
        ExperimentFolder folder = new ResultsStore(results).experiment("refused");
        assertEquals(List.of(), folder.exists() ? folder.trials() : List.of(), "no trial may run");
        try (MlflowConnection admin = MlflowTesting.connect(server.uri(), mlflowName, "admin", ADMIN_PASSWORD)) {
            assertTrue(admin.client().getExperimentByName(mlflowName).isEmpty());
        }
    }

    @Test
    void theRightCredentialsLandTheSweepAndARefusedSyncExits5() throws Exception {
        String mlflowName = MlflowTesting.uniqueName("auth-ok");
        Path file = Sweeps.write(tmp, "secured", """
                task: probe
                params: {steps: 4}
                sweep: {grid: {x: [1, 2]}}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        Child run = cli(Map.of("MLFLOW_TRACKING_USERNAME", "admin", "MLFLOW_TRACKING_PASSWORD", ADMIN_PASSWORD),
                "run", file.toString(), "--tracking-uri", server.uri(), "--results-dir", results.toString());
        assertEquals(0, run.code(), run.output());
        assertFalse(run.output().contains(ADMIN_PASSWORD), run.output());
        ExperimentFolder folder = new ResultsStore(results).experiment("secured");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        try (MlflowConnection admin = MlflowTesting.connect(server.uri(), mlflowName, "admin", ADMIN_PASSWORD)) {
            List<Run> all = runs(admin, mlflowName);
            assertEquals(3, all.size());
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                assertTrialRun(admin, t, children.get(t.id()), parent.getInfo().getRunId());
            }
        }

        // a trial left to sync, and a token the server refuses: exit 5, the secret never shown
        TrialFolder first = folder.trials().get(0);
        Files.writeString(first.file(SyncState.FILE), Files.readString(first.file(SyncState.FILE))
                .replace("\"synced\" : true", "\"synced\" : false"));
        assertEquals(List.of(first.id()), MlflowTesting.unsynced(folder));
        Child sync = cli(Map.of("MLFLOW_TRACKING_TOKEN", WRONG_TOKEN),
                "sync", "secured", "--tracking-uri", server.uri(), "--results-dir", results.toString());
        assertEquals(5, sync.code(), sync.output());
        assertTrue(sync.output().contains("refused the credentials"), sync.output());
        assertFalse(sync.output().contains(WRONG_TOKEN), sync.output());
        assertEquals(List.of(first.id()), MlflowTesting.unsynced(folder));
    }
}
