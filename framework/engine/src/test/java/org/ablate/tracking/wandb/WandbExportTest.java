package org.ablate.tracking.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ablate.cli.ExitCodes;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.ablate.testing.WandbPython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ablate export wandb`: offline W&B runs written by the wandb library, read back with wandb's own
 * tools (its datastore reader and `wandb sync --view --verbose`) in src/test/python/test_wandb_export.py.
 */
class WandbExportTest {

    private static final String SECRET = "s3cr3t-pw";

    @TempDir
    Path tmp;

    private Path sweep() throws Exception {
        Path repo = WandbImporterTest.gitRepository(tmp.resolve("repo"));
        Path file = Sweeps.write(repo, "formulas", """
                description: "Two sizes, a formula, non-finite points, one failing trial."
                task: formula
                sweep: {grid: {d: [8, 16], mode: [ok, fail]}}
                exclude: [{d: 16, mode: fail}]
                params: {m: "4 * d"}
                seeds: [0, 1]
                """);
        Path results = tmp.resolve("results");
        // a tracking URI with a password, to a server that is not there: the sweep goes on, the password is never stored
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--tracking-uri", "http://user:" + SECRET + "@127.0.0.1:9");
        assertEquals(1, r.code(), r.out() + r.err());
        return results;
    }

    @Test
    void eachTrialIsAnOfflineRunThatWandbReadsBackAndASecondExportChangesNothing() throws Exception {
        Path python = WandbPython.python();
        Path results = sweep();
        Path folder = results.resolve("formulas");
        // a line cut by a crash: skipped, the rest of that history still exported
        Path someTrial;
        try (Stream<Path> s = Files.list(folder)) {
            someTrial = s.filter(p -> Files.exists(p.resolve("metrics.jsonl"))).sorted().findFirst().orElseThrow();
        }
        Files.writeString(someTrial.resolve("metrics.jsonl"), "{\"step\":7,\"name\":\"train/ra", StandardOpenOption.APPEND);

        InProcessCli.Result first = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                "--python", python.toString());
        assertEquals(0, first.code(), first.out() + first.err());
        Path out = folder.resolve("wandb");
        assertTrue(first.out().contains("formulas: 6 offline W&B run(s) written, 0 unchanged, in " + out), first.out());
        assertTrue(first.out().contains("upload with: wandb sync " + out.resolve("offline-run-*")), first.out());
        List<String> runs = offlineRuns(out);
        assertEquals(6, runs.size(), runs.toString());

        WandbPython.Result py = WandbPython.unittest("test_wandb_export.py", Map.of(
                "ABLATE_TEST_RESULTS", folder.toString(), "ABLATE_TEST_WANDB_OUT", out.toString(),
                "ABLATE_TEST_SECRET", SECRET, "ABLATE_TEST_TORN_TRIAL", someTrial.getFileName().toString()));
        py.assertPassed(6);

        // idempotent: the same folders (and any `wandb sync` marker in them), no second copy of a run
        Files.writeString(out.resolve(runs.get(0)).resolve(runs.get(0).replaceAll(".*-", "run-") + ".wandb.synced"), "");
        InProcessCli.Result second = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                "--python", python.toString());
        assertEquals(0, second.code(), second.out() + second.err());
        assertTrue(second.out().contains("0 offline W&B run(s) written, 6 unchanged"), second.out());
        assertEquals(runs, offlineRuns(out));
        assertTrue(Files.exists(out.resolve(runs.get(0)).resolve(runs.get(0).replaceAll(".*-", "run-") + ".wandb.synced")));

        // a trial that changed (re-run, edited) replaces its folder: still one folder per trial
        Files.writeString(someTrial.resolve("trial.log"), "changed\n", StandardOpenOption.APPEND);
        InProcessCli.Result third = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                "--python", python.toString());
        assertEquals(0, third.code(), third.out() + third.err());
        assertTrue(third.out().contains("1 offline W&B run(s) written, 5 unchanged"), third.out());
        List<String> after = offlineRuns(out);
        assertEquals(6, after.size(), after.toString());
        assertEquals(6, after.stream().map(n -> n.replaceAll(".*-", "")).distinct().count(), after.toString());

        // a trial running now (or killed while running) is left out until it ends, not sent as failed
        Files.writeString(someTrial.resolve("status"), org.ablate.store.TrialStatus.running(1, "elsewhere").render());
        InProcessCli.Result fourth = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                "--python", python.toString());
        assertEquals(0, fourth.code(), fourth.out() + fourth.err());
        assertTrue(fourth.out().contains("0 offline W&B run(s) written, 5 unchanged, 1 not ended (left out)"), fourth.out());
    }

    @Test
    void withoutWandbTheExportSaysWhatToInstallAndExitsSeven() throws Exception {
        Path results = sweep();
        // a python whose path has an empty wandb/ folder (a W&B project's run folder is called wandb)
        Path shadow = Files.createDirectories(tmp.resolve("shadow/wandb")).getParent();
        Path shadowed = tmp.resolve("python-with-a-wandb-folder");
        Files.writeString(shadowed, "#!/bin/sh\nPYTHONPATH='" + shadow + "' exec python3 \"$@\"\n");
        shadowed.toFile().setExecutable(true);
        for (String python : List.of("python3", tmp.resolve("no-such-python").toString(), shadowed.toString())) {
            InProcessCli.Result r = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                    "--python", python);
            if (!python.contains("no-such") && r.code() == 0) {
                continue; // this machine's python3 has wandb
            }
            assertEquals(ExitCodes.MISSING_TOOL, r.code(), r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("ablate: error: export wandb needs ") && r.err().contains("pip install wandb"), r.err());
            assertFalse(Files.exists(results.resolve("formulas/wandb")) && offlineRuns(results.resolve("formulas/wandb")).size() > 0);
        }
    }

    @Test
    void anOutputThatIsAFileIsAStoreError() throws Exception {
        Path python = WandbPython.python();
        Path results = sweep();
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        InProcessCli.Result r = InProcessCli.run("export", "wandb", "formulas", "--results-dir", results.toString(),
                "--python", python.toString(), "--out", file.resolve("runs").toString());
        assertEquals(ExitCodes.STORE, r.code(), r.out() + r.err());
        assertEquals("ablate: results store error: cannot write the W&B runs to " + file.resolve("runs")
                + ": " + file + " is a file, not a folder", r.err().strip());
    }

    @Test
    void anExperimentThatNeverRanIsABadArgument() {
        InProcessCli.Result r = InProcessCli.run("export", "wandb", "nothing-here", "--results-dir", tmp.toString(),
                "--python", "python3");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no results for experiment 'nothing-here'"), r.err());
    }

    private static List<String> offlineRuns(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("offline-run-")).sorted().toList();
        }
    }
}
