package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arguments of the results commands: the experiment name stays inside the results folder, a
 * results folder that is a file is bad input, a misspelt name gets a suggestion, and an override
 * sweep into the same folder is a separate invocation that status and report say they cover.
 */
class ResultsArgumentTest {

    @TempDir
    Path tmp;

    @Test
    void anExperimentArgumentThatLeavesTheResultsFolderIsRefused() throws Exception {
        // a real experiment's results two levels above the results folder
        Sweeps.run(Sweeps.write(tmp, "outside", "task: probe\n"), tmp);
        Path results = Files.createDirectories(tmp.resolve("a/results"));
        for (String command : List.of("status", "report", "verify", "sync")) {
            for (String argument : List.of("../../outside", "a/b", "/etc", "..")) {
                InProcessCli.Result r = InProcessCli.run(command, argument, "--results-dir", results.toString());
                assertEquals(2, r.code(), command + " " + argument + ": " + r.out() + r.err());
                assertEquals("ablate: error: " + argument + ": not an experiment name (letters, digits, '.', '_', '-', starting "
                        + "with a letter or digit) and not an experiment file (give a name, or the path of a .yaml file)\n", r.err(),
                        command + " " + argument);
            }
        }
        assertFalse(Files.exists(tmp.resolve("outside/report")), "nothing written outside the results folder");
    }

    @Test
    void aResultsDirThatIsAFileIsBadInputInOneLine() throws Exception {
        Path file = Sweeps.write(tmp, "quick", "task: probe\n");
        Path notAFolder = Files.writeString(tmp.resolve("hostname"), "host\n");
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--results-dir", notAFolder.toString());
        assertEquals(2, run.code(), run.err());
        assertEquals("ablate: error: --results-dir " + notAFolder + ": is a file, not a folder (give a folder for the results "
                + "store, or omit it for ./results)\n", run.err());
        InProcessCli.Result below = InProcessCli.run("run", file.toString(), "--results-dir", notAFolder.resolve("sub").toString());
        assertEquals(2, below.code(), below.err());
        assertEquals("ablate: error: --results-dir " + notAFolder.resolve("sub") + ": " + notAFolder + " is a file, not a folder "
                + "(give a folder for the results store, or omit it for ./results)\n", below.err());
        for (String command : List.of("status", "report", "verify", "sync")) {
            InProcessCli.Result r = InProcessCli.run(command, "quick", "--results-dir", notAFolder.toString());
            assertEquals(2, r.code(), command + r.err());
            assertTrue(r.err().startsWith("ablate: error: --results-dir " + notAFolder + ": is a file, not a folder"), r.err());
            assertEquals(1, r.err().split("\n").length, r.err());
        }
    }

    @Test
    void aMisspeltExperimentGetsADidYouMeanAndTheExperimentsThere() throws Exception {
        Path results = tmp.resolve("results");
        Sweeps.run(Sweeps.write(tmp, "example-quick", "task: probe\n"), results);
        Sweeps.run(Sweeps.write(tmp, "other", "task: probe\n"), results);
        InProcessCli.Result r = InProcessCli.run("status", "exmaple-quick", "--results-dir", results.toString());
        assertEquals(2, r.code());
        assertEquals("ablate: error: exmaple-quick: no results for experiment 'exmaple-quick' in " + results
                + "; did you mean 'example-quick'? (experiments with results there: example-quick, other)\n", r.err());
        InProcessCli.Result far = InProcessCli.run("report", "zzz", "--results-dir", results.toString());
        assertEquals("ablate: error: zzz: no results for experiment 'zzz' in " + results
                + " (experiments with results there: example-quick, other)\n", far.err());
    }

    @Test
    void anOverrideSweepIsANewInvocationThatStatusAndReportSayTheyCover() throws Exception {
        Path file = Sweeps.write(tmp, "inv", """
                task: probe
                sweep: {grid: {x: [1, 2]}}
                repeats: 2
                headline: result
                """);
        Path results = tmp.resolve("results");
        Sweeps.run(file, results);
        Sweeps.run(file, results, "n=20", "x=[1,4]");

        InProcessCli.Result latest = InProcessCli.run("status", "inv", "--results-dir", results.toString());
        assertEquals(0, latest.code(), latest.err());
        List<String> lines = List.of(latest.out().split("\n"));
        assertEquals(7, lines.size(), latest.out());
        assertTrue(lines.get(0).matches("ID\\s+x\\s+SEED\\s+STATUS\\s+DURATION\\s+RESULT"), lines.get(0));
        assertTrue(lines.subList(1, 5).stream().allMatch(l -> l.matches("[0-9a-f]{12}\\s+(1\\.0|4\\.0)\\s+\\d\\s+FINISHED.*")),
                latest.out());
        assertEquals("4 trial(s): 4 FINISHED", lines.get(5));
        assertEquals("latest invocation: 4 trial(s) of 8 in the folder; --all for every trial", lines.get(6));

        InProcessCli.Result all = InProcessCli.run("status", "inv", "--all", "--results-dir", results.toString());
        assertEquals(0, all.code(), all.err());
        List<String> allLines = List.of(all.out().split("\n"));
        assertEquals(10, allLines.size(), all.out());
        // n tells the two invocations apart: it is a column now
        assertTrue(allLines.get(0).matches("ID\\s+x\\s+n\\s+SEED\\s+STATUS\\s+DURATION\\s+RESULT"), allLines.get(0));
        assertEquals(4, allLines.stream().filter(l -> l.matches("[0-9a-f]{12}\\s+\\S+\\s+20\\s+.*")).count(), all.out());
        assertEquals(8, allLines.stream().filter(l -> l.matches("[0-9a-f]{12}\\s+.*")).count(), all.out());
        assertEquals("8 trial(s): 8 FINISHED", allLines.get(9));

        InProcessCli.Result report = InProcessCli.run("report", file.toString(), "--results-dir", results.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().contains("\nlatest invocation: 4 trial(s) of 8 in the folder; --all for every trial\n"), report.out());
        Path md = results.resolve("inv/report/report.md");
        assertTrue(Files.readString(md).contains("Covers the latest invocation: 4 trial(s) of 8 in the folder; "
                + "`ablate report --all` for every trial."), Files.readString(md));
        assertTrue(Files.readString(md).contains("2 configurations"), Files.readString(md));

        InProcessCli.Result reportAll = InProcessCli.run("report", file.toString(), "--all", "--results-dir", results.toString());
        assertEquals(0, reportAll.code(), reportAll.err());
        assertFalse(reportAll.out().contains("latest invocation"), reportAll.out());
        String text = Files.readString(md);
        assertTrue(text.contains("8 trials planned: 8 finished"), text);
        assertTrue(text.contains("4 configurations"), text);
        assertTrue(text.contains("| x | n | seeds | mean | std | 95% CI |"), text);
        assertEquals(0, InProcessCli.run("verify", file.toString(), "--all", "--results-dir", results.toString()).code());
    }
}
