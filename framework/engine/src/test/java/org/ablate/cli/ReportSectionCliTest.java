package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report section is checked before a sweep runs (dry run included) against the metrics the
 * task declares and the values the sweep takes; a report that cannot be written is a non-zero exit.
 */
class ReportSectionCliTest {

    @TempDir
    Path tmp;

    private String results() {
        return tmp.resolve("results").toString();
    }

    private Path experiment(String name, String report) throws Exception {
        return Sweeps.write(tmp, name, """
                task: probe
                params: {steps: 2}
                sweep: {grid: {x: [1, 2], mode: [ok, slow]}}
                seeds: [0, 1]
                """ + report);
    }

    /** Exit 2 with exactly one error line, and no trial run or folder written, for the dry run and a real run. */
    private String refusedBeforeRunning(Path file, String... overrides) {
        String err = null;
        for (boolean dry : new boolean[] {true, false}) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", file.toString()));
            args.addAll(java.util.List.of(overrides));
            args.addAll(java.util.List.of("--results-dir", results(), "--progress", "log"));
            if (dry) {
                args.add("--dry-run");
            }
            InProcessCli.Result r = InProcessCli.run(args.toArray(String[]::new));
            assertEquals(2, r.code(), (dry ? "dry run: " : "run: ") + r.out() + r.err());
            assertEquals("", r.out(), "nothing planned or run is printed");
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(Files.notExists(tmp.resolve("results")), "no trial may run before the report section is checked");
            if (err != null) {
                assertEquals(err, r.err(), "the dry run and the run refuse alike");
            }
            err = r.err();
        }
        return err;
    }

    @Test
    void aMisspeltPlotMetricFailsTheDryRunWithTheDeclaredMetrics() throws Exception {
        Path file = experiment("typo", """
                report:
                  plots:
                    - {metric: x, x: x}
                    - metric: resutl
                      x: x
                """);
        // the first plot's metric is a parameter name: refused too, but the second is the one to read here
        Files.writeString(file, Files.readString(file).replace("    - {metric: x, x: x}\n", ""));
        assertEquals("ablate: error: " + file + ":7: report.plots[0].metric: plot: 'resutl' is not a summary metric of task "
                + "'probe'; did you mean 'result'? (declared: result, noise)\n", refusedBeforeRunning(file));
    }

    @Test
    void aPlotOfAParameterSaysItIsAParameter() throws Exception {
        Path file = experiment("param", """
                report:
                  plots:
                    - {metric: steps, x: x}
                """);
        assertEquals("ablate: error: " + file + ":7: report.plots[0].metric: plot: 'steps' is not a summary metric of task "
                + "'probe'; 'steps' is a parameter, not a metric (declared: result, noise)\n", refusedBeforeRunning(file));
    }

    @Test
    void aClaimOverAStepMetricOrAMetricNoTrialLogsIsRefused() throws Exception {
        Path step = experiment("step-claim", """
                claims:
                  - {name: c, check: at_least, metric: train/value, value: 1}
                """);
        assertEquals("ablate: error: " + step + ":6: claims[0].metric: claim 'c': 'train/value' is not a summary metric of task "
                + "'probe'; it is logged per step: plot it with x: step, or claim on its curve with curve: (last_change, drop, ...)"
                + " (declared: result, noise)\n", refusedBeforeRunning(step));
        Path never = experiment("never", """
                claims:
                  - {name: c, check: at_least, metric: accuracy, value: 1}
                """);
        assertEquals("ablate: error: " + never + ":6: claims[0].metric: claim 'c': 'accuracy' is not a summary metric of task "
                + "'probe' (declared: result, noise)\n", refusedBeforeRunning(never));
    }

    @Test
    void aCurveClaimNeedsAMetricTheTaskLogsPerStep() throws Exception {
        Path typo = experiment("curve-typo", """
                claims:
                  - {name: c, check: at_most, metric: train/valeu, curve: last_change, value: 1}
                """);
        assertEquals("ablate: error: " + typo + ":6: claims[0].metric: claim 'c': curve: last_change reads a step curve, but"
                + " 'train/valeu' is not a metric task 'probe' logs per step; did you mean 'train/value'? (declared: train/value)\n",
                refusedBeforeRunning(typo));
        Path summary = experiment("curve-of-summary", """
                claims:
                  - {name: c, check: at_most, metric: result, curve: drop, value: 1}
                """);
        assertEquals("ablate: error: " + summary + ":6: claims[0].metric: claim 'c': curve: drop reads a step curve, but 'result'"
                + " is not a metric task 'probe' logs per step; it is a summary metric: without curve: the claim checks it"
                + " (declared: train/value)\n", refusedBeforeRunning(summary));
    }

    @Test
    void aStepPlotOfASummaryMetricIsRefused() throws Exception {
        Path file = experiment("steps", """
                report:
                  plots:
                    - {metric: result, x: step, where: {x: 1}}
                """);
        assertEquals("ablate: error: " + file + ":7: report.plots[0].metric: plot: 'result' is not a metric task 'probe' logs "
                + "per step (x: step); it is a summary metric: plot it against a swept parameter (declared: train/value)\n",
                refusedBeforeRunning(file));
    }

    @Test
    void aPlotWhosePointsCollideIsRefusedBeforeTheRun() throws Exception {
        Path file = experiment("collide", """
                report:
                  plots:
                    - {metric: result, x: x}
                    - {metric: train/value, x: step, group: x}
                """);
        assertEquals("ablate: error: " + file + ":7: report.plots[0]: plot of 'result': x=1.0 mode=ok and x=1.0 mode=slow fall on "
                + "the same point; fix the other parameters with 'where' or split them with 'group'\n", refusedBeforeRunning(file));
        Files.writeString(file, Files.readString(file).replace("{metric: result, x: x}", "{metric: result, x: x, where: {mode: ok}}"));
        assertEquals("ablate: error: " + file + ":8: report.plots[1]: plot of 'train/value' over steps: 2 configurations in one "
                + "series (x=1.0 mode=ok, x=1.0 mode=slow); select one per series with 'where' or 'group'\n", refusedBeforeRunning(file));
    }

    @Test
    void aZippedSweepWhoseOtherKeyMovesWithXIsNotACollision() throws Exception {
        Path file = Sweeps.write(tmp, "zipped", """
                task: probe
                sweep:
                  zip:
                    x: [1, 2, 3]
                    n: [10, 20, 30]
                report:
                  plots:
                    - {metric: result, x: x}
                """);
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--dry-run", "--results-dir", results());
        assertEquals(0, r.code(), "n varies but every x has one configuration: " + r.err());
        // both values are swept, never together
        Files.writeString(file, Files.readString(file) + """
                claims:
                  - {name: c, check: at_least, metric: result, value: 0, where: {x: 1, n: 30}}
                """);
        assertEquals("ablate: error: " + file + ":10: claims[0].where: where: no configuration of the sweep has x=1 n=30\n",
                refusedBeforeRunning(file));
    }

    @Test
    void whereNamingAValueNeverSweptIsRefusedAtItsLine() throws Exception {
        Path file = experiment("where", """
                claims:
                  - name: c
                    check: at_least
                    metric: result
                    value: 1
                    where:
                      mode: ok
                      x: 3
                """);
        assertEquals("ablate: error: " + file + ":12: claims[0].where.x: where: x=3 is not a swept value (swept: 1.0, 2.0)\n",
                refusedBeforeRunning(file));
        Path quoted = experiment("quoted", """
                report:
                  plots:
                    - {metric: result, x: mode, where: {x: "2"}}
                """);
        assertEquals("ablate: error: " + quoted + ":7: report.plots[0].where.x: where: x=2 is not a swept value; it is quoted "
                + "text here and the swept values are numbers: drop the quotes (swept: 1.0, 2.0)\n", refusedBeforeRunning(quoted));
        // an override that sweeps the value makes the same file valid
        InProcessCli.Result ok = InProcessCli.run("run", file.toString(), "x=[1,2,3]", "--dry-run", "--results-dir", results());
        assertEquals(0, ok.code(), ok.err());
    }

    @Test
    void aBaselineValueOrAnAxisThatIsFixedIsRefused() throws Exception {
        Path baseline = experiment("baseline", """
                claims:
                  - {name: r, check: ratio_at_least, metric: result, where: {x: 2}, baseline: {mode: fail}, factor: 1}
                """);
        assertEquals("ablate: error: " + baseline + ":6: claims[0].baseline.mode: baseline: mode=fail is not a swept value "
                + "(swept: ok, slow)\n", refusedBeforeRunning(baseline));
        Path fixed = experiment("fixed", """
                report:
                  plots:
                    - {metric: result, x: steps}
                """);
        assertEquals("ablate: error: " + fixed + ":7: report.plots[0].x: x: 'steps' is not a swept parameter (it is fixed) "
                + "(swept: x, mode)\n", refusedBeforeRunning(fixed));
    }

    @Test
    void aTaskThatDeclaresNoMetricsIsCheckedAfterItRanAndAnUnwritableReportExits2() throws Exception {
        Path file = Sweeps.write(tmp, "label", """
                task: needs-label
                sweep: {grid: {label: [a, bb]}}
                seeds: [0, 1]
                report:
                  plots:
                    - {metric: lenght, x: label}
                """);
        InProcessCli.Result dry = InProcessCli.run("run", file.toString(), "--dry-run", "--results-dir", results());
        assertEquals(0, dry.code(), "undeclared metrics cannot be checked before the run: " + dry.err());
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--results-dir", results(), "--progress", "log");
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("label: 4 finished, 0 failed"), run.out());
        assertTrue(run.err().contains("ablate: report not written: " + file + ":6: report.plots[0]: plot: no summary metric "
                + "'lenght' in the results; did you mean 'length'? (accepted: length)\n"), run.err());
    }

    @Test
    void aReportFolderThatIsAFileExits6ForRunAndReport() throws Exception {
        Path file = experiment("blocked", """
                report:
                  plots:
                    - {metric: result, x: x, group: mode}
                """);
        Path dir = tmp.resolve("results/blocked");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report"), "not a folder");
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--results-dir", results(), "--progress", "log");
        assertEquals(6, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("blocked: 8 finished, 0 failed"), run.out());
        assertEquals("ablate: report not written: " + dir.resolve("report") + " exists and is not a folder\n", run.err());
        InProcessCli.Result report = InProcessCli.run("report", "blocked", "--results-dir", results());
        assertEquals(6, report.code(), report.out() + report.err());
        assertEquals("ablate: results store error: report not written: " + dir.resolve("report") + " exists and is not a folder\n",
                report.err());
        assertEquals("not a folder", Files.readString(dir.resolve("report")), "the file in the way is left alone");
    }

    @Test
    void unreadableResultsAreOneLineAndExit6ForReportAndVerify() throws Exception {
        Path file = experiment("unreadable", "");
        assertEquals(0, InProcessCli.run("run", file.toString(), "--results-dir", results(), "--progress", "log").code());
        Path sweep = tmp.resolve("results/unreadable/sweep.json");
        Files.delete(sweep);
        Files.createDirectory(sweep); // present, but not a file
        for (String command : new String[] {"report", "verify"}) {
            InProcessCli.Result r = InProcessCli.run(command, file.toString(), "--results-dir", results());
            assertEquals(6, r.code(), command + ": " + r.err());
            assertEquals(1, r.err().lines().count(), command + ": " + r.err());
            assertTrue(r.err().startsWith("ablate: results store error: ") && r.err().contains(sweep.getParent().toString()),
                    command + ": " + r.err());
        }
    }

    @Test
    void anUnwritableReportWinsOverAFailedTrial() throws Exception {
        Path file = Sweeps.write(tmp, "both", """
                task: probe
                sweep: {grid: {mode: [ok, fail]}}
                seeds: [0, 1]
                report:
                  plots:
                    - {metric: result, x: mode}
                """);
        Path dir = tmp.resolve("results/both");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report"), "");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results(), "--progress", "log");
        assertEquals(6, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("both: 2 finished, 2 failed"), "the failed trials are still reported: " + r.out());
        assertEquals("ablate: report not written: " + dir.resolve("report") + " exists and is not a folder\n", r.err());
    }
}
