package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
    /** A user whose password needs percent-encoding in a URI: '@', ':', '/', '%' and '+'. */
    private static final String USER = "researcher";
    private static final String SECRET = "Zq9@x:7/y%2+W-secret";
    private static final String ENCODED_SECRET = "Zq9%40x%3A7%2Fy%252%2BW-secret";

    private MlflowServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        server = MlflowServer.start(serverDir, Map.of("MLFLOW_FLASK_SERVER_SECRET_KEY", "ablate-tests",
                "MLFLOW_AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD), "--app-name", "basic-auth");
        // a second user (an admin, so that permissions play no part) with a password full of URI syntax
        admin("POST", "/api/2.0/mlflow/users/create", "{\"username\": \"" + USER + "\", \"password\": \""
                + SECRET + "\"}");
        admin("PATCH", "/api/2.0/mlflow/users/update-admin", "{\"username\": \"" + USER + "\", \"is_admin\": true}");
    }

    private void admin(String method, String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
    }

    private String uriWithSecret() {
        return server.uri().replace("http://", "http://" + USER + ":" + ENCODED_SECRET + "@");
    }

    /** Asserts that neither form of the secret is in the text (what is printed or stored). */
    private static void assertNoSecret(String text, String where) {
        for (String s : List.of(SECRET, ENCODED_SECRET, "Zq9")) {
            assertFalse(text.contains(s), where + " holds the secret (" + s + "): " + text);
        }
    }

    /** No file under the results folder (trial.log, sweep.log, config.json, sweep.json, mlflow.json...) holds it. */
    private static void assertNoSecretIn(Path results) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(results)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() > 5, "the sweep wrote its files: " + files);
        for (Path f : files) {
            assertNoSecret(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), f.toString());
        }
    }

    /** Nothing readable through the REST API holds it: the experiment, each run's params and tags, every artifact. */
    private void assertNoSecretOnServer(String mlflowName) throws Exception {
        try (MlflowConnection admin = MlflowTesting.connect(server.uri(), mlflowName, "admin", ADMIN_PASSWORD)) {
            assertNoSecret(admin.client().getExperimentByName(mlflowName).orElseThrow().toString(), "the experiment");
            List<Run> all = runs(admin, mlflowName);
            assertTrue(all.size() >= 3, all.toString());
            for (Run run : all) {
                String where = "run " + run.getInfo().getRunName();
                assertNoSecret(run.toString(), where + " (params, tags, info)");
                for (String path : MlflowTesting.artifactPaths(admin, run)) {
                    assertNoSecret(path, where + " artifact path");
                    assertNoSecret(new String(admin.downloadArtifact(run.getInfo().getArtifactUri(), path),
                            StandardCharsets.ISO_8859_1), where + " artifact " + path);
                }
            }
        }
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

    @Test
    void credentialsInTheTrackingUriAreUsedButNeverPrintedStoredOrSent() throws Exception {
        String mlflowName = MlflowTesting.uniqueName("auth-uri");
        Path file = Sweeps.write(tmp, "inuri", """
                task: probe
                params: {steps: 3}
                sweep: {grid: {x: [1, 2]}}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results-uri");
        // no credentials in the environment: the URI's user-info is what the server accepts
        Child run = cli(Map.of(), "run", file.toString(), "--tracking-uri=" + uriWithSecret(), "--results-dir", results.toString());
        assertEquals(0, run.code(), run.output());
        assertNoSecret(run.output(), "the output");
        assertTrue(run.output().contains("tracking to MLflow " + server.uri() + " (experiment '" + mlflowName
                + "', the tracking URI's user-info)"), run.output());
        ExperimentFolder folder = new ResultsStore(results).experiment("inuri");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        TrialFolder first = folder.trials().get(0);
        assertEquals(server.uri(), SyncState.read(first).orElseThrow().trackingUri());
        Map<String, Object> provenance = castMap(first.config().get("provenance"));
        assertEquals("ablate run " + file + " --tracking-uri=" + server.uri().replace("http://", "http://***@")
                + " --results-dir " + results, provenance.get("command"));
        assertNoSecretIn(results);
        assertNoSecretOnServer(mlflowName);

        // `sync` needs the credential again: from the environment, with the recorded (bare) address
        Files.writeString(first.file(SyncState.FILE), Files.readString(first.file(SyncState.FILE))
                .replace("\"synced\" : true", "\"synced\" : false"));
        Child refused = cli(Map.of(), "sync", "inuri", "--results-dir", results.toString());
        assertEquals(5, refused.code(), refused.output());
        Child sync = cli(Map.of("MLFLOW_TRACKING_USERNAME", USER, "MLFLOW_TRACKING_PASSWORD", SECRET),
                "sync", "inuri", "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.output());
        assertNoSecret(refused.output() + sync.output(), "the sync output");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        // or from the URI given again
        Files.writeString(first.file(SyncState.FILE), Files.readString(first.file(SyncState.FILE))
                .replace("\"synced\" : true", "\"synced\" : false"));
        Child again = cli(Map.of(), "sync", "inuri", "--tracking-uri", uriWithSecret(), "--results-dir", results.toString());
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("1 trial(s) synced to " + server.uri() + " (experiment"), again.output());
        assertNoSecret(again.output(), "the sync output");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        assertNoSecretIn(results);
        assertNoSecretOnServer(mlflowName);
    }

    @Test
    void credentialsInTheUriOfADownServerAreNeverPrintedOrStored() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path file = Sweeps.write(tmp, "downsecret", """
                task: probe
                sweep: {grid: {x: [1, 2]}}
                """);
        Path results = tmp.resolve("results-down");
        String down = "http://" + USER + ":" + ENCODED_SECRET + "@127.0.0.1:" + closed;
        Child run = cli(Map.of(), "run", file.toString(), "--tracking-uri", down, "--results-dir", results.toString());
        assertEquals(0, run.code(), "the sweep goes on without its server: " + run.output());
        assertTrue(run.output().contains("MLflow server http://127.0.0.1:" + closed), run.output());
        assertNoSecret(run.output(), "the output");
        ExperimentFolder folder = new ResultsStore(results).experiment("downsecret");
        assertEquals(2, MlflowTesting.unsynced(folder).size());
        assertEquals("http://127.0.0.1:" + closed, SyncState.read(folder.trials().get(0)).orElseThrow().trackingUri());
        assertNoSecretIn(results);
    }

    @Test
    void aTokenInTheQueryStringIsRefusedBeforeAnythingIsWrittenAndNeverShown() throws Exception {
        Path file = Sweeps.write(tmp, "querytoken", """
                task: probe
                sweep: {grid: {x: [1, 2]}}
                """);
        Path results = tmp.resolve("results-query");
        Child run = cli(Map.of(), "run", file.toString(), "--tracking-uri", server.uri() + "/?token=" + SECRET,
                "--results-dir", results.toString());
        assertEquals(2, run.code(), run.output());
        assertTrue(run.output().contains("--tracking-uri: tracking URI '" + server.uri() + "/?token=***' has a query"),
                run.output());
        assertNoSecret(run.output(), "the output");
        assertFalse(Files.exists(results.resolve("querytoken")), "nothing written");
    }

    @Test
    void anExperimentFileWithCredentialsInItsUriIsRefusedPointingToTheEnvironment() throws Exception {
        Path file = Sweeps.write(tmp, "filesecret", """
                task: probe
                sweep: {grid: {x: [1, 2]}}
                tracking: {uri: "%s"}
                """.formatted(uriWithSecret()));
        Path results = tmp.resolve("results-file");
        Child run = cli(Map.of(), "run", file.toString(), "--results-dir", results.toString());
        assertEquals(2, run.code(), run.output());
        assertTrue(run.output().contains(":3: tracking.uri: tracking URI '" + server.uri() + "' holds credentials"), run.output());
        assertTrue(run.output().contains("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD"), run.output());
        assertNoSecret(run.output(), "the output");
        assertFalse(Files.exists(results.resolve("filesecret")), "nothing written, experiment.yaml least of all");
        // and the same file is refused by --dry-run, with an unsupported scheme masked as well
        Path ftp = Sweeps.write(tmp, "ftpsecret", """
                task: probe
                tracking: {uri: "ftp://%s:%s@127.0.0.1"}
                """.formatted(USER, ENCODED_SECRET));
        Child dry = cli(Map.of(), "run", ftp.toString(), "--dry-run", "--results-dir", results.toString());
        assertEquals(2, dry.code(), dry.output());
        assertTrue(dry.output().contains("tracking URI 'ftp://***@127.0.0.1' is not supported"), dry.output());
        assertNoSecret(dry.output(), "the output");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
