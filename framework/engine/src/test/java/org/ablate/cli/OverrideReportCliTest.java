package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command-line override that fixes (or sweeps) a parameter the file's report section is
 * written against: the run goes through and the report adapts to what this invocation ran,
 * while real mistakes in the report section are still refused before any trial starts.
 */
class OverrideReportCliTest {

    @TempDir
    Path tmp;

    private String results() {
        return tmp.resolve("results").toString();
    }

    private static final String REPORT = """
            report:
              plots:
                - {metric: result, x: x, group: mode}
                - {metric: train/value, x: step, group: mode, where: {x: 1}}
            claims:
              - {name: ok-positive, check: at_least, metric: result, where: {mode: ok}, value: 0}
              - {name: slow-positive, check: at_least, metric: result, where: {mode: slow}, value: 0}
              - {name: slow-vs-ok, check: ratio_at_least, metric: result, where: {mode: slow}, baseline: {mode: ok}, factor: 0.1}
              - {name: rises, check: increasing, metric: result, along: x, where: {mode: ok}}
            """;

    private Path experiment(String name) throws Exception {
        return Sweeps.write(tmp, name, """
                task: probe
                params: {steps: 2}
                sweep: {grid: {x: [1, 2], mode: [ok, slow]}}
                seeds: [0, 1]
                """ + REPORT);
    }

    private InProcessCli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--results-dir", results()));
        if (args[0].equals("run")) {
            all.addAll(List.of("--progress", "log"));
        }
        return InProcessCli.run(all.toArray(String[]::new));
    }

    private static String line(String out, String start) {
        return out.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst().orElse("(no line starting '" + start + "' in:\n" + out + ")");
    }

    @Test
    void fixingTheGroupedParameterRunsAndTheReportAdapts() throws Exception {
        Path file = experiment("fixed");
        InProcessCli.Result dry = run("run", file.toString(), "mode=ok", "--dry-run");
        assertEquals(0, dry.code(), dry.err());

        InProcessCli.Result r = run("run", file.toString(), "mode=ok");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("fixed: 4 finished, 0 failed"), r.out());
        assertTrue(line(r.out(), "PASS").contains("ok-positive"), r.out());
        assertEquals("INCONCLUSIVE slow-positive: not run here; no configuration of this invocation has mode=slow (paper: -)",
                line(r.out(), "INCONCLUSIVE slow-positive"));
        assertEquals("INCONCLUSIVE slow-vs-ok: not run here; no configuration of this invocation has mode=slow (paper: -)",
                line(r.out(), "INCONCLUSIVE slow-vs-ok"));
        assertTrue(line(r.out(), "PASS         rises").contains("rises"), r.out());
        assertTrue(r.out().contains("mode takes one value in this invocation (ok)"), r.out());

        Path dir = tmp.resolve("results/fixed/report");
        String csv = Files.readString(dir.resolve("plot-1-result-vs-x.csv"));
        assertTrue(csv.contains("\nmode=ok,1.0,2,") && csv.contains("\nmode=ok,2.0,2,"), "one series, labelled mode=ok: " + csv);
        assertFalse(csv.contains("slow"), csv);
        assertTrue(Files.readString(dir.resolve("plot-2-train-value-vs-step.csv")).contains("\nmode=ok,1.0,2,"));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| slow-positive | **INCONCLUSIVE** |"), md);
        assertTrue(md.contains("no configuration of this invocation has mode=slow"), md);
        assertTrue(md.contains("mode takes one value in this invocation (ok)"), md);

        // report and verify read the latest invocation alike
        InProcessCli.Result report = run("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertEquals(line(r.out(), "INCONCLUSIVE slow-positive"), line(report.out(), "INCONCLUSIVE slow-positive"));
        InProcessCli.Result verify = run("verify", file.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("INCONCLUSIVE mode=slow: not run here (≥ 0)\n"
                + "             note: no configuration of this invocation has mode=slow\n"), verify.out());
        assertTrue(verify.out().startsWith("mode takes one value in this invocation (ok) where the file sweeps ok, slow"), verify.out());
        assertTrue(verify.out().contains("fixed: 4 claim(s): 2 PASS, 0 FAIL, 2 INCONCLUSIVE"), verify.out());
    }

    @Test
    void allCoversTheFileSweepAfterAnOverrideInvocation() throws Exception {
        Path file = experiment("both");
        assertEquals(0, run("run", file.toString()).code());
        InProcessCli.Result fixed = run("run", file.toString(), "mode=slow");
        assertEquals(0, fixed.code(), fixed.err());
        assertTrue(fixed.out().contains("0 finished, 0 failed, 0 interrupted, 4 skipped"), fixed.out());
        assertTrue(line(fixed.out(), "INCONCLUSIVE ok-positive").contains("no configuration of this invocation has mode=ok"), fixed.out());
        InProcessCli.Result all = run("verify", file.toString(), "--all");
        assertEquals(0, all.code(), all.out() + all.err());
        assertTrue(all.out().contains("both: 4 claim(s): 4 PASS, 0 FAIL, 0 INCONCLUSIVE"), all.out());
    }

    @Test
    void fixingThePlotsXLeavesThatPlotOutWithANoteAndATrendInconclusive() throws Exception {
        Path file = experiment("fixed-x");
        InProcessCli.Result r = run("run", file.toString(), "x=2");
        assertEquals(0, r.code(), r.out() + r.err());
        String leftOut = "plot 1 (result vs x) left out: x takes one value in this invocation (2.0)";
        assertTrue(r.out().contains(leftOut), r.out());
        assertTrue(r.out().contains("plot 2 (train/value vs step) left out: no configuration of this invocation has x=1"), r.out());
        assertTrue(line(r.out(), "INCONCLUSIVE rises").contains("one value of x"), r.out());
        Path dir = tmp.resolve("results/fixed-x/report");
        assertTrue(Files.readString(dir.resolve("report.md")).contains(leftOut));
        assertTrue(Files.notExists(dir.resolve("plot-1-result-vs-x.png")));
    }

    @Test
    void anOverrideSweepOfAFixedParameterSplitsTheSeries() throws Exception {
        Path file = experiment("more");
        InProcessCli.Result r = run("run", file.toString(), "n=[10,20]");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("more: 16 finished"), r.out());
        String csv = Files.readString(tmp.resolve("results/more/report/plot-1-result-vs-x.csv"));
        assertTrue(csv.contains("\nmode=ok n=10,1.0,2,") && csv.contains("\nmode=slow n=20,2.0,2,"), csv);
        assertTrue(r.out().contains("n is swept by this invocation, not by the file: plots draw a series per value of it"), r.out());
        assertTrue(line(r.out(), "PASS         ok-positive").contains("4 of 4 comparisons pass"), r.out());
    }

    /** Exit 2, one error line, nothing written: the override does not excuse a mistake in the file. */
    private String refused(Path file, String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", file.toString()));
        args.addAll(List.of(overrides));
        InProcessCli.Result r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(Files.notExists(tmp.resolve("results")), "no trial may run");
        return r.err();
    }

    @Test
    void realMistakesAreStillRefusedWhenAnOverrideFixesTheKey() throws Exception {
        Path file = experiment("mistakes");
        String text = Files.readString(file);
        Files.writeString(file, text.replace("where: {mode: slow}, value: 0", "where: {mode: slwo}, value: 0"));
        assertEquals("ablate: error: " + file + ":11: claims[1].where.mode: where: mode=slwo is not a swept value; did you mean "
                + "'slow'? (swept by the file: ok, slow; this invocation: ok)\n", refused(file, "mode=ok"));
        // accepted by the schema, but no sweep of the file or the invocation has it
        Files.writeString(file, text.replace("where: {mode: slow}, value: 0", "where: {mode: hang}, value: 0"));
        assertEquals("ablate: error: " + file + ":11: claims[1].where.mode: where: mode=hang is not a swept value "
                + "(swept by the file: ok, slow; this invocation: ok)\n", refused(file, "mode=ok"));
        Files.writeString(file, text.replace("group: mode}", "group: mdoe}"));
        assertTrue(refused(file, "mode=ok").contains("group: 'mdoe' is not a swept parameter; did you mean 'mode'?"));
        Files.writeString(file, text.replace("{metric: result, x: x, group: mode}", "{metric: reslt, x: x, group: mode}"));
        assertTrue(refused(file, "mode=ok").contains("plot: 'reslt' is not a summary metric of task 'probe'; did you mean 'result'?"));
        // a parameter the file itself fixes is not one an override fixed
        Files.writeString(file, text.replace("group: mode}", "group: steps}"));
        assertTrue(refused(file, "mode=ok").contains("group: 'steps' is not a swept parameter (it is fixed)"));
        // the file's own collision (mode is neither grouped nor selected) is not excused by an override sweep
        Files.writeString(file, text.replace("{metric: result, x: x, group: mode}", "{metric: result, x: x}"));
        String collision = refused(file, "n=[10,20]");
        assertTrue(collision.contains("x=1.0 n=10 mode=ok and x=1.0 n=10 mode=slow fall on the same point"), collision);
    }

    @Test
    void anOverrideToAValueTheFileNeverSweptMakesTheFilesValuesInconclusive() throws Exception {
        Path file = experiment("elsewhere");
        InProcessCli.Result r = run("run", file.toString(), "mode=fail");
        assertEquals(1, r.code(), "every trial of mode=fail fails: " + r.out() + r.err());
        // nothing finished: no report, as before
        Path ok = experiment("other");
        InProcessCli.Result s = run("run", ok.toString(), "x=3");
        assertEquals(0, s.code(), s.out() + s.err());
        assertTrue(s.out().contains("plot 2 (train/value vs step) left out: no configuration of this invocation has x=1"), s.out());
    }

    @Test
    void aReportEditedAfterTheRunToAValueNoSweepHasIsStillAnError() throws Exception {
        Path file = experiment("edited");
        assertEquals(0, run("run", file.toString(), "mode=ok").code());
        Files.writeString(file, Files.readString(file).replace("where: {mode: slow}, value: 0", "where: {mode: slwo}, value: 0"));
        InProcessCli.Result r = run("report", file.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("claim 'slow-positive': no configuration matches where mode=slwo"), r.err());
    }

    @Test
    void anOverrideSweepOfSomeOfTheFilesValuesMakesAClaimOnAnotherInconclusive() throws Exception {
        Path file = Sweeps.write(tmp, "subset", """
                task: probe
                params: {steps: 2}
                sweep: {grid: {x: [1, 2, 3]}}
                seeds: [0, 1]
                claims:
                  - {name: three, check: at_least, metric: result, where: {x: 3}, value: 0}
                  - {name: rises, check: increasing, metric: result, along: x}
                """);
        InProcessCli.Result r = run("run", file.toString(), "x=1,2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals("INCONCLUSIVE three: not run here; no configuration of this invocation has x=3 (paper: -)",
                line(r.out(), "INCONCLUSIVE three"));
        assertTrue(line(r.out(), "PASS         rises").startsWith("PASS"), r.out());
        // 4 is no value of the file's sweep: a mistake, whatever the override
        Files.writeString(file, Files.readString(file).replace("where: {x: 3}", "where: {x: 4}"));
        InProcessCli.Result bad = run("run", file.toString(), "x=1,2", "--dry-run");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertEquals("ablate: error: " + file + ":6: claims[0].where.x: where: x=4 is not a swept value (swept by the file: 1, 2, 3;"
                + " this invocation: 1.0, 2.0)\n", bad.err());
    }
}
