package org.ablate.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One resolver for run, report and sync: --tracking-uri, then the file's tracking.uri, then the environment it is given. */
class TrackingResolverTest {

    private static final ExperimentSpec FILE = ExperimentParser.parse(
            "task: probe\ntracking: {uri: http://127.0.0.1:5001}\n", "e.yaml", "e");
    private static final ExperimentSpec PLAIN = ExperimentParser.parse("task: probe\n", "e.yaml", "e");

    @Test
    void theCommandLineBeatsTheFileWhichBeatsTheEnvironment() {
        TrackingResolver resolver = new TrackingResolver(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5002"));
        assertEquals("http://127.0.0.1:5000", resolver.resolve("http://127.0.0.1:5000", FILE).orElseThrow().uri());
        assertEquals("http://127.0.0.1:5001", resolver.resolve(null, FILE).orElseThrow().uri());
        assertEquals("http://127.0.0.1:5002", resolver.resolve(null, PLAIN).orElseThrow().uri());
        assertEquals("e", resolver.resolve(null, PLAIN).orElseThrow().experimentName());
        assertEquals(java.util.Optional.empty(), new TrackingResolver(Map.of()).resolve(null, PLAIN));
    }

    /** Failed before: sync read MLFLOW_TRACKING_URI from the process itself, past the environment the others were given. */
    @Test
    void syncReadsTheSameEnvironmentAndSaysWhenNoServerIsNamed(@TempDir Path tmp) throws Exception {
        ExperimentFolder folder = new ResultsStore(tmp).experiment("e");
        Files.createDirectories(folder.dir());
        assertEquals("http://127.0.0.1:5002", new TrackingResolver(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5002"))
                .forSync(null, null, "e", folder).uri());
        ConfigException e = assertThrows(ConfigException.class, () -> new TrackingResolver(Map.of()).forSync(null, PLAIN, "e", folder));
        assertEquals("--tracking-uri: no MLflow server to sync to: pass --tracking-uri, set MLFLOW_TRACKING_URI, "
                + "or give the experiment file a tracking.uri", e.getMessage());
    }
}
