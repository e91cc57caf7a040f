package org.ablate.tracking.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.ablate.testing.WandbPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep mirrored to a real MLflow server, then imported by W&B's MLflow importer (wandb 0.18.7,
 * through bin/mlflow-to-wandb.py) with W&B's sender recorded instead of sent: the assertions on
 * what W&B would receive are in src/test/python/test_mlflow_to_wandb.py.
 */
class WandbImporterTest {

    @TempDir
    Path tmp;

    @Test
    void everyRunOfASweepArrivesWithItsSweepConfigAndHistory() throws Exception {
        String uri = MlflowServer.shared();
        Path python = WandbPython.python();
        String mlflowName = "wandb-import-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Path repo = gitRepository(tmp.resolve("repo"));
        Path file = Sweeps.write(repo, "formulas", """
                description: "Two sizes, a formula, non-finite points, one failing trial."
                task: formula
                sweep: {grid: {d: [8, 16], mode: [ok, fail]}}
                exclude: [{d: 16, mode: fail}]
                params: {m: "4 * d"}
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--tracking-uri", uri, "--results-dir", results.toString());
        assertEquals(1, r.code(), r.out() + r.err()); // the failing trials fail; they are imported too
        WandbPython.Result py = WandbPython.unittest("test_mlflow_to_wandb.py", Map.of(
                "ABLATE_TEST_MLFLOW_URI", uri, "ABLATE_TEST_MLFLOW_EXPERIMENT", mlflowName,
                "ABLATE_TEST_RESULTS", results.resolve("formulas").toString(), "ABLATE_TEST_WORKDIR", tmp.toString()));
        py.assertPassed(7);
    }

    static Path gitRepository(Path dir) throws Exception {
        Files.createDirectories(dir);
        git(dir, "init", "-q");
        git(dir, "-c", "user.email=test@example.org", "-c", "user.name=test", "commit", "-q", "--allow-empty", "-m", "start");
        return dir;
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
    }
}
