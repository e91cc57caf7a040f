package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.experiment.TrialSpec;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: exit codes, and what it prints. */
class CliTest {

    @TempDir
    Path tmp;

    private InProcessCli.Result cli(String... args) {
        return InProcessCli.run(args);
    }

    private String results() {
        return tmp.resolve("results").toString();
    }

    @Test
    void dryRunPrintsTheExpandedTrialsAndRunsNothing() throws Exception {
        Path file = Sweeps.write(tmp, "dry", """
                task: probe
                params: {n: 5}
                sweep: {grid: {x: [1, 2]}}
                seeds: [0, 7]
                """);
        InProcessCli.Result r = cli("run", file.toString(), "mode=[ok,slow]", "--dry-run", "--results-dir", results());
        assertEquals(0, r.code(), r.err());
        var trials = Sweeps.plan(file, "mode=[ok,slow]").trials();
        StringBuilder expected = new StringBuilder();
        expected.append("experiment dry: task probe, 8 trial(s) = 4 configuration(s) x 2 seed(s)\n");
        expected.append("fixed: n=5 steps=3 sleep_ms=0 flag=false levels=[8,5] gadget=plain\n");
        expected.append("#  ID            SEED  x    mode\n");
        for (TrialSpec t : trials) {
            expected.append(String.format("%-3s%s  %-4s  %-3s  %s%n", t.index() + 1, t.id(), t.seed(),
                    t.varying().get("x"), t.varying().get("mode")));
        }
        assertEquals(expected.toString(), r.out());
        assertTrue(Files.notExists(tmp.resolve("results")));
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        Path file = Sweeps.write(tmp, "bad", """
                task: probe
                params:
                  x: 250
                """);
        InProcessCli.Result r = cli("run", file.toString(), "--results-dir", results());
        assertEquals(2, r.code());
        assertEquals("ablate: error: " + file + ":3: params.x: 250 is out of range (accepted: real in [0, 100])\n", r.err());
        assertTrue(Files.notExists(tmp.resolve("results")), "nothing may be written for a bad experiment");
    }

    @Test
    void badOverrideAndBadOptionsExit2() throws Exception {
        Path file = Sweeps.write(tmp, "ok", "task: probe\n");
        InProcessCli.Result typo = cli("run", file.toString(), "stesp=4", "--results-dir", results());
        assertEquals(2, typo.code());
        assertEquals("ablate: error: command line 'stesp=4': stesp: unknown parameter of task 'probe'; did you mean 'steps'? "
                + "(accepted: x, n, mode, steps, sleep_ms, flag, levels, gadget)\n", typo.err());
        InProcessCli.Result parallel = cli("run", file.toString(), "--parallel", "0", "--results-dir", results());
        assertEquals(2, parallel.code());
        assertTrue(parallel.err().startsWith("ablate: --parallel must be at least 1, got 0\n"), parallel.err());
        InProcessCli.Result missing = cli("run", tmp.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertEquals("ablate: error: " + tmp.resolve("nope.yaml")
                + ": experiment file not found (give a path to a .yaml file, or the name of one in experiments/)\n", missing.err());
    }

    @Test
    void runExitsNonZeroWhenATrialFailsAndStatusShowsWhy() throws Exception {
        Path file = Sweeps.write(tmp, "mixed", """
                task: probe
                sweep: {grid: {mode: [ok, fail]}}
                headline: result
                """);
        InProcessCli.Result run = cli("run", file.toString(), "--results-dir", results());
        assertEquals(1, run.code());
        assertTrue(run.out().startsWith("mixed: 1 finished, 1 failed, 0 interrupted, 0 skipped (already finished) -> "), run.out());
        assertTrue(run.out().contains("FAILED (mode=fail seed=0): java.lang.IllegalStateException: probe failed as asked at step 2"),
                run.out());

        InProcessCli.Result status = cli("status", "mixed", "--results-dir", results());
        assertEquals(0, status.code(), status.err());
        String[] lines = status.out().split("\n");
        assertEquals(4, lines.length, status.out());
        assertTrue(lines[0].matches("ID\\s+mode\\s+SEED\\s+STATUS\\s+DURATION\\s+RESULT"), lines[0]);
        String ok = lines[1].contains(" ok ") ? lines[1] : lines[2];
        String failed = lines[1].contains(" ok ") ? lines[2] : lines[1];
        assertTrue(ok.matches("[0-9a-f]{12}\\s+ok\\s+0\\s+FINISHED\\s+\\d+\\.\\ds\\s+[0-9.]+"), ok);
        assertTrue(failed.matches("[0-9a-f]{12}\\s+fail\\s+0\\s+FAILED\\s+\\d+\\.\\ds\\s+java.lang.IllegalStateException: probe failed as asked at\\.\\.\\."), failed);
        assertEquals("2 trial(s): 1 FINISHED, 1 FAILED", lines[3]);

        // the status of a trial is read from its file: the name of the yaml works too
        assertEquals(status.out(), cli("status", file.toString(), "--results-dir", results()).out());
    }

    @Test
    void statusOfAnUnknownExperimentIsAClearError() {
        InProcessCli.Result r = cli("status", "never-ran", "--results-dir", results());
        assertEquals(2, r.code());
        assertEquals("ablate: error: never-ran: no results for experiment 'never-ran' in " + results()
                + " (run it first: ablate run <file>.yaml)\n", r.err());
    }

    @Test
    void pluginsListsEveryComponentWithItsParameters() {
        InProcessCli.Result r = cli("plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\n  testing\\s+dev\\s+org\\.ablate\\.testing\\.TestPlugin\\s+\\S+test-classes\\n.*"), r.out());
        assertTrue(r.out().contains("Tasks:\n"), r.out());
        assertTrue(r.out().contains("  probe — A controllable task for framework tests.\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+x\\s+real\\s+1\\.0\\s+in \\[0, 100\\]\\s+An input\\.\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+mode\\s+string\\s+ok\\s+one of ok, fail, slow, hang\\s+ok: compute.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+gadget\\s+component\\s+plain\\s+one of plain, scaled\\s+A component\\.\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+label\\s+string\\s+\\(required\\)\\s+any\\s+Any text\\.\\n.*"), r.out());
        assertTrue(r.out().contains("Gadgets:\n"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+factor\\s+real\\s+2\\.0\\s+in \\[0\\.5, 10\\]\\s+The scale\\.\\n.*"), r.out());
    }

    @Test
    void benchFrameworkPrintsItsFiguresAndChecksItsParameters() {
        InProcessCli.Result r = cli("bench", "framework", "trials=10", "points=1000", "process_trials=2");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(9, lines.length, r.out());
        assertTrue(lines[0].startsWith("ablate bench framework: 10 no-op trials, parallel 1, "), lines[0]);
        assertTrue(lines[6].matches("  resume check \\(all finished\\)\\s+[0-9.]+ ms  \\(10 skipped\\)"), lines[6]);
        assertTrue(lines[7].matches("  metric logging\\s+[0-9,]+ points/s to metrics.jsonl \\(1,000 points\\)"), lines[7]);
        assertTrue(lines[8].matches("  process launcher \\(2 trials\\)\\s+[0-9.]+ ms  \\([0-9]+ ms per trial, all costs; -?[0-9]+ ms"
                + " above in-process; trial time in the child p50 [0-9.]+ ms\\)"), lines[8]);

        InProcessCli.Result typo = cli("bench", "framework", "trails=10");
        assertEquals(2, typo.code());
        assertEquals("ablate: error: command line 'trails=10': trails: unknown parameter of benchmark 'framework'; "
                + "did you mean 'trials'? (accepted: trials, parallel, points, process_trials, launcher, launcher_options, launcher_trials, tracking_uri)\n", typo.err());
        InProcessCli.Result unknown = cli("bench", "frame");
        assertEquals(2, unknown.code());
        assertEquals("ablate: error: command line 'frame': unknown benchmark; did you mean 'framework'? (accepted: framework)\n",
                unknown.err());
    }
}
