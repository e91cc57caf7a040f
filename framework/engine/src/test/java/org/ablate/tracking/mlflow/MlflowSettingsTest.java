package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.experiment.TrackingSettings;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where and as whom to track, with no server: precedence, credentials, and bad URIs. */
class MlflowSettingsTest {

    private static final String TOKEN = "s3cr3t-token-value";
    private static final String PASSWORD = "s3cr3t-password-value";

    @TempDir
    Path tmp;

    @Test
    void theCommandLineBeatsTheFileWhichBeatsTheEnvironment() {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "http://env:5000", "MLFLOW_EXPERIMENT_NAME", "env-name");
        TrackingSettings file = new TrackingSettings("http://file:5000/", "file-name");
        assertEquals("http://cli:5000", MlflowSettings.resolve("http://cli:5000", file, "ablate-name", env).orElseThrow().uri());
        assertEquals("http://file:5000", MlflowSettings.resolve(null, file, "ablate-name", env).orElseThrow().uri(),
                "a trailing slash is dropped");
        assertEquals("http://file:5000", MlflowSettings.resolve("  ", file, "ablate-name", env).orElseThrow().uri(), "blank is unset");
        assertEquals("http://env:5000", MlflowSettings.resolve(null, TrackingSettings.NONE, "ablate-name", env).orElseThrow().uri());
        assertTrue(MlflowSettings.resolve(null, TrackingSettings.NONE, "ablate-name", Map.of()).isEmpty(), "no URI: no tracking");

        // the experiment name: the file, else MLFLOW_EXPERIMENT_NAME, else the Ablate experiment's
        assertEquals("file-name", MlflowSettings.resolve("http://cli:5000", file, "ablate-name", env).orElseThrow().experimentName());
        assertEquals("env-name", MlflowSettings.resolve("http://cli:5000", new TrackingSettings(null, null), "ablate-name", env)
                .orElseThrow().experimentName());
        assertEquals("ablate-name", MlflowSettings.resolve("http://cli:5000", TrackingSettings.NONE, "ablate-name",
                Map.of("MLFLOW_EXPERIMENT_NAME", "")).orElseThrow().experimentName());
    }

    @Test
    void userInfoInMlflowTrackingUriIsUsedOverTheEnvironmentsAndOnlyTheAddressShown() {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "https://ann:p%40ss%2B" + PASSWORD + "@mlflow.example.org/",
                "MLFLOW_TRACKING_TOKEN", TOKEN, "MLFLOW_TRACKING_USERNAME", "bob", "MLFLOW_TRACKING_PASSWORD", "other");
        MlflowSettings s = MlflowSettings.resolve(null, TrackingSettings.NONE, "e", env).orElseThrow();
        assertEquals("https://mlflow.example.org", s.uri());
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("ann:p@ss+" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                s.authorization(), "the URI's user-info, decoded, is what this URI was given with");
        assertEquals("https://mlflow.example.org (experiment 'e', the tracking URI's user-info)", s.toString());
        assertFalse(s.hostCreds().getHost().contains(PASSWORD), "the client is given the bare address");
    }

    @Test
    void credentialsComeFromTheEnvironmentAndAreNeverShown() {
        Map<String, String> both = Map.of("MLFLOW_TRACKING_TOKEN", TOKEN, "MLFLOW_TRACKING_USERNAME", "ann",
                "MLFLOW_TRACKING_PASSWORD", PASSWORD);
        MlflowSettings bearer = MlflowSettings.resolve("https://mlflow.example.org", TrackingSettings.NONE, "e", both).orElseThrow();
        assertEquals("Bearer " + TOKEN, bearer.authorization(), "a token wins over a user name");
        assertEquals("https://mlflow.example.org (experiment 'e', MLFLOW_TRACKING_TOKEN)", bearer.toString());

        MlflowSettings basic = MlflowSettings.resolve("https://mlflow.example.org", TrackingSettings.NONE, "e",
                Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", PASSWORD)).orElseThrow();
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("ann:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                basic.authorization());
        assertFalse(basic.toString().contains(PASSWORD), basic.toString());
        assertTrue(basic.toString().contains("MLFLOW_TRACKING_USERNAME"), basic.toString());

        MlflowSettings none = MlflowSettings.resolve("http://h:1", TrackingSettings.NONE, "e", Map.of()).orElseThrow();
        assertNull(none.authorization());
        assertEquals("http://h:1 (experiment 'e', no credentials)", none.toString());

        // a refusal names where the credentials came from, never what they are
        try (MlflowConnection c = new MlflowConnection(bearer)) {
            TrackingException e = assertThrows(TrackingException.class, () -> c.uploadArtifact("s3://bucket/x", "a", tmp));
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        }
    }

    @Test
    void aTrackingUriThatIsNotHttpIsRefusedNamingWhereItCameFrom() {
        Map<String, String> env = Map.of("MLFLOW_TRACKING_URI", "file:///tmp/mlruns");
        ConfigException e = assertThrows(ConfigException.class, () -> MlflowSettings.resolve(null, TrackingSettings.NONE, "e", env));
        assertEquals("MLFLOW_TRACKING_URI: tracking URI 'file:///tmp/mlruns' is not supported "
                + "(accepted: an http:// or https:// MLflow server)", e.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> MlflowSettings.resolve("mlruns", TrackingSettings.NONE, "e", env))
                .getMessage().startsWith("--tracking-uri: tracking URI 'mlruns' "));
        assertTrue(assertThrows(ConfigException.class, () -> MlflowSettings.resolve(null,
                new TrackingSettings("databricks", null), "e", env)).getMessage().startsWith("tracking.uri: tracking URI 'databricks' "));
    }

    @Test
    void aBadUriInTheExperimentFileIsOneLineAndExitCode2() throws Exception {
        Path file = Sweeps.write(tmp, "baduri", """
                task: probe
                tracking:
                  experiment: somewhere
                  uri: file:///tmp/mlruns
                """);
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("ablate: error: " + file + ":4: tracking.uri: tracking URI 'file:///tmp/mlruns' is not supported "
                + "(accepted: an http:// or https:// MLflow server)\n", r.err());
        assertTrue(Files.notExists(tmp.resolve("results")), "nothing may run");
    }

    @Test
    void aMistypedOptionOrABadValueWithCredentialsIsEchoedMasked() throws Exception {
        Path file = Sweeps.write(tmp, "typo", "task: probe\n");
        InProcessCli.Result typo = InProcessCli.run("run", file.toString(), "--trackinguri=http://ann:" + PASSWORD + "@127.0.0.1:5000",
                "--dry-run");
        assertEquals(2, typo.code(), typo.err());
        assertTrue(typo.err().startsWith("ablate: Unknown option: '--trackinguri=http://***@127.0.0.1:5000'"), typo.err());
        InProcessCli.Result value = InProcessCli.run("run", file.toString(), "n=http://ann:" + PASSWORD + "@h", "--dry-run");
        assertEquals(2, value.code(), value.err());
        assertTrue(value.err().contains("'http://***@h'"), value.err());
        assertFalse((typo.err() + typo.out() + value.err() + value.out()).contains(PASSWORD));
    }

    @Test
    void aBadUriOnTheCommandLineIsExitCode2ForRunAndSync() throws Exception {
        Path file = Sweeps.write(tmp, "cliuri", "task: probe\n");
        String results = tmp.resolve("results").toString();
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--tracking-uri", "ftp://x", "--results-dir", results);
        assertEquals(2, run.code(), run.err());
        assertEquals("ablate: error: --tracking-uri: tracking URI 'ftp://x' is not supported "
                + "(accepted: an http:// or https:// MLflow server)\n", run.err());
        assertTrue(Files.notExists(tmp.resolve("results").resolve("cliuri")), "nothing may run");

        assertEquals(0, InProcessCli.run("run", file.toString(), "--results-dir", results).code());
        InProcessCli.Result sync = InProcessCli.run("sync", "cliuri", "--tracking-uri", "ftp://x", "--results-dir", results);
        assertEquals(2, sync.code(), sync.err());
        assertEquals("ablate: error: --tracking-uri: tracking URI 'ftp://x' is not supported "
                + "(accepted: an http:// or https:// MLflow server)\n", sync.err());

        if (System.getenv("MLFLOW_TRACKING_URI") != null) {
            return; // the environment names a server: there is no "none" to check
        }
        InProcessCli.Result none = InProcessCli.run("sync", "cliuri", "--results-dir", results);
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().startsWith("ablate: error: --tracking-uri: no MLflow server to sync to"), none.err());
    }
}
