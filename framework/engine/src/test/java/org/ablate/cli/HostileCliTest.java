package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ablate.provenance.Redaction;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fresh hostile try of the merged CLI (issue 11, "Done when"): odd files, odd overrides, odd
 * stores and odd options, each through the real CLI in this JVM. Every case must end in one clear
 * line and a documented exit code, or be tolerated where the README says so.
 */
class HostileCliTest {

    private static final String PROBE = """
            name: hostile
            task: probe
            sweep: {grid: {x: [1, 2]}}
            repeats: 2
            headline: result
            """;

    @TempDir
    Path tmp;

    private Path results() {
        return tmp.resolve("results");
    }

    private InProcessCli.Result cli(String... args) {
        String[] withDir = Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--results-dir";
        withDir[args.length + 1] = results().toString();
        return InProcessCli.run(withDir);
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private Path write(String yaml) throws Exception {
        return Sweeps.write(tmp, "hostile", yaml);
    }

    private static void assertOneError(InProcessCli.Result r, String expectedStart) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, lines(r.err()).size(), r.err());
        assertTrue(r.err().startsWith(expectedStart), r.err());
    }

    private ExperimentFolder swept() throws Exception {
        Path file = write(PROBE);
        assertEquals(4, Sweeps.run(file, results()).outcomes().size());
        return new ResultsStore(results()).experiment("hostile");
    }

    private TrialFolder firstTrial(ExperimentFolder folder) throws Exception {
        return folder.trial(Sweeps.plan(tmp.resolve("hostile.yaml")).trials().get(0).id());
    }

    // ---- overrides ------------------------------------------------------------------------

    /** Failed before: the error message's URL redaction backtracked quadratically; 100,000 letters took minutes. */
    @Test
    void aHundredThousandCharacterOverrideIsRefusedInSeconds() throws Exception {
        Path file = write(PROBE);
        String huge = "x".repeat(100_000);
        InProcessCli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> cli("run", file.toString(), "mode=" + huge, "--dry-run"));
        assertOneError(r, "ablate: error: command line 'mode=xxx");
        assertTrue(r.err().contains("is not accepted (accepted: one of ok, fail, slow, hang)"), r.err().substring(r.err().length() - 200));
    }

    /** Failed before (same cause): the recorded command and any message with a long word are redacted in linear time. */
    @Test
    void redactionOfAMegabyteWordIsLinear() {
        String word = "a1".repeat(500_000);
        String redacted = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Redaction.redactUrls(word + " http://u:pw@h/x"));
        assertEquals(word + " http://***@h/x", redacted);
        assertEquals(word, assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Redaction.redactArgument(word)));
        // a scheme glued to a word is still masked (over-redacting is harmless)
        assertEquals("--uri=x1http://***@h", Redaction.redactArgument("--uri=x1http://user:pw@h"));
        assertEquals("'9http://***@h'", Redaction.redactUrls("'9http://user:pw@h'"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "x==1           | ablate: error: command line 'x==1': x: expected a real in [0, 100], got '=1'",
        "x=             | ablate: error: command line 'x=': x: missing value after '='",
        "=1             | ablate: error: command line '=1': not an override",
        "seeds=[]       | ablate: error: command line 'seeds=[]': seeds: empty list: give at least one seed",
        "repeats=0      | ablate: error: command line 'repeats=0': repeats: repeats must be in [1, 100000], got 0",
        "repeats=-1     | ablate: error: command line 'repeats=-1': repeats: repeats must be in [1, 100000], got -1",
        "timeout=0      | ablate: error: command line 'timeout=0': timeout: invalid duration 0",
        "'n=range(0,10,0)' | ablate: error: command line 'n=range(0,10,0)': n: range step must not be 0",
        "mode=choice()  | ablate: error: command line 'mode=choice()': mode: choice() needs at least one value",
        "mode=ünïcødé   | ablate: error: command line 'mode=ünïcødé': mode: 'ünïcødé' is not accepted (accepted: one of ok, fail, slow, hang)",
        "'n=1,,2'       | ablate: error: command line 'n=1,,2': n: empty element in a sweep",
        "seed=1,2       | ablate: error: command line 'seed=1,2': seed: seed takes one value, not a sweep",
        "x=*a           | ablate: error: command line 'x=*a': x: invalid YAML: found undefined alias a",
    })
    void anOddOverrideIsOneLineAndExit2(String override, String expected) throws Exception {
        Path file = write(PROBE);
        InProcessCli.Result r = cli("run", file.toString(), override, "--dry-run");
        assertOneError(r, expected);
        assertFalse(Files.exists(results()), "nothing written");
    }

    // ---- experiment files -----------------------------------------------------------------

    /** Failed before: a misspelt headline ran the whole sweep and status showed another metric under its name. */
    @Test
    void aHeadlineTheTaskDoesNotDeclareIsRefusedBeforeAnythingRuns() throws Exception {
        Path file = write(PROBE.replace("headline: result", "headline: reslt"));
        InProcessCli.Result dry = cli("run", file.toString(), "--dry-run");
        assertOneError(dry, "ablate: error: " + file + ":5: headline: 'reslt' is not a summary metric of task 'probe'; "
                + "did you mean 'result'? (declared: result, noise)");
        assertOneError(cli("run", file.toString()), "ablate: error: " + file + ":5: headline:");
        assertFalse(Files.exists(results()), "nothing written");

        Path perStep = write(PROBE.replace("headline: result", "headline: train/value"));
        assertOneError(cli("run", perStep.toString(), "--dry-run"), "ablate: error: " + perStep + ":5: headline: 'train/value' "
                + "is not a summary metric of task 'probe'; it is logged per step");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty file          | ''                                             | :1: task: missing required key",
        "only comments       | '# nothing\n# here\n'                          | :1: task: missing required key",
        "a list              | '- a\n- b\n'                                   | :1: (top level): expected a mapping of keys to values, got a list",
        "a scalar            | 'hello\n'                                      | :1: (top level): expected a mapping of keys to values, got 'hello'",
        "task null           | 'task:\n'                                      | :1: task: expected a string, got null",
        "params a list       | 'task: probe\nparams: [1, 2]\n'                | :2: params: expected a mapping of keys to values, got a list",
        "duplicate sweep key | 'task: probe\nsweep:\n  grid:\n    x: [1]\n    x: [2]\n' | :5: sweep.grid.x: duplicate key (first written on line 4)",
        "two documents       | 'task: probe\n---\ntask: probe\n'              | :2: invalid YAML: but found another document",
        "repeats a float     | 'task: probe\nrepeats: 1.5\n'                  | :2: repeats: expected an integer, got 1.5",
        "name a path         | 'task: probe\nname: ../evil\n'                 | :2: name: experiment name '../evil' must be usable as a folder name",
    })
    void anOddExperimentFileIsOneLocatedLineAndExit2(String what, String yaml, String expected) throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));
        InProcessCli.Result r = cli("run", file.toString(), "--dry-run");
        assertOneError(r, "ablate: error: " + file + expected);
    }

    /** Guard: YAML merge keys and anchors work as a YAML user expects. */
    @Test
    void aMergeKeyFillsParameters() throws Exception {
        Path file = write("task: probe\nsweep: {grid: {x: &xs [1, 2]}}\nparams:\n  <<: {n: 7, steps: 2}\n");
        InProcessCli.Result r = cli("run", file.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("n=7") && r.out().contains("steps=2"), r.out());
        assertTrue(r.out().contains("2 trial(s) = 2 configuration(s)"), r.out());
    }

    // ---- options and commands -------------------------------------------------------------

    /** Failed before: --results-dir '' silently meant the current folder (a run wrote ./hostile/). */
    @ParameterizedTest
    @ValueSource(strings = {"run", "status", "report", "verify"})
    void anEmptyResultsDirIsRefused(String command) throws Exception {
        Path file = write(PROBE);
        InProcessCli.Result r = InProcessCli.run(command, file.toString(), "--results-dir", "");
        assertOneError(r, "ablate: error: --results-dir '': empty (give a folder for the results store, or omit it for ./results)");
        assertFalse(Files.exists(Path.of("hostile")), "nothing written in the current folder");
    }

    @Test
    void commandsWithoutResultsOrClaimsSaySo() throws Exception {
        Path file = write(PROBE);
        assertOneError(cli("report", file.toString()), "ablate: error: " + file + ": no results for experiment 'hostile'");
        assertOneError(cli("verify", "hostile"), "ablate: error: hostile: no results for experiment 'hostile'");
        assertEquals(2, cli("frobnicate").code());
        assertEquals(2, cli("run", file.toString(), "--parallel", "0").code());
        assertFalse(Files.exists(results()), "nothing written");

        InProcessCli.Result run = cli("run", file.toString(), "--parallel", "1000");
        assertEquals(0, run.code(), run.err());
        InProcessCli.Result verify = cli("verify", "hostile");
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("no claims declared"), verify.out());
    }

    // ---- store damage ---------------------------------------------------------------------

    /** Failed before: a trial folder replaced by a file showed NOT STARTED with no word, and the report lost a seed silently. */
    @Test
    void aTrialFolderThatIsAFileIsDamagedAndRunAgain() throws Exception {
        ExperimentFolder folder = swept();
        TrialFolder trial = firstTrial(folder);
        try (var walk = Files.walk(trial.dir())) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(trial.dir(), "not a folder");

        InProcessCli.Result status = cli("status", "hostile");
        assertEquals(0, status.code(), status.err());
        assertEquals(List.of("ablate: warning: " + trial.dir() + ": a file, expected a trial folder; trial " + trial.id()
                + " counts as not finished (ablate run re-runs it)"), lines(status.err()));
        assertTrue(status.out().contains("4 trial(s): 3 FINISHED, 1 DAMAGED"), status.out());

        InProcessCli.Result report = cli("report", "hostile");
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().contains("1 trial(s) skipped as damaged"), report.out());

        InProcessCli.Result run = cli("run", tmp.resolve("hostile.yaml").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(trial.isFinished());
        assertEquals("not a folder", Files.readString(folder.dir().resolve(ExperimentFolder.ATTEMPTS).resolve(trial.id() + ".1")),
                "the damaged attempt is kept");
    }

    /** Failed before: "Is a directory: IOException", naming no file. */
    @ParameterizedTest
    @ValueSource(strings = {TrialFolder.STATUS, TrialFolder.SUMMARY, TrialFolder.CONFIG})
    void aFileThatIsAFolderIsNamed(String name) throws Exception {
        ExperimentFolder folder = swept();
        TrialFolder trial = firstTrial(folder);
        Files.delete(trial.file(name));
        Files.createDirectory(trial.file(name));

        for (String command : List.of("status", "report", "verify")) {
            InProcessCli.Result r = cli(command, "hostile");
            assertEquals(0, r.code(), command + ": " + r.err());
            assertEquals(1, lines(r.err()).size(), r.err());
            assertTrue(r.err().startsWith("ablate: warning: " + trial.file(name) + ": a folder, expected a file; trial " + trial.id()),
                    command + ": " + r.err());
        }
    }

    /** Failed before: `report` died with a NullPointerException (exit 70) on a config.json holding JSON null. */
    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"abc\"", "42"})
    void aConfigThatIsNotAnObjectDoesNotCrashTheReport(String content) throws Exception {
        ExperimentFolder folder = swept();
        TrialFolder trial = firstTrial(folder);
        Files.writeString(trial.file(TrialFolder.CONFIG), content);

        InProcessCli.Result report = cli("report", "hostile");
        assertEquals(0, report.code(), report.err());
        assertTrue(report.err().startsWith("ablate: warning: " + trial.file(TrialFolder.CONFIG) + ": holds a JSON "), report.err());
        assertTrue(report.out().contains("1 trial(s) skipped as damaged"), report.out());
        assertTrue(Files.readString(folder.dir().resolve("report/report.md")).contains("1 skipped as damaged"));
    }

    /** Guard: an empty metrics file and a truncated last line (a crash mid-write) are tolerated; the summary stands. */
    @ParameterizedTest
    @ValueSource(strings = {"empty", "truncated"})
    void aDamagedMetricsFileIsTolerated(String how) throws Exception {
        ExperimentFolder folder = swept();
        TrialFolder trial = firstTrial(folder);
        Path metrics = trial.file(TrialFolder.METRICS);
        String text = Files.readString(metrics);
        Files.writeString(metrics, how.equals("empty") ? "" : text.substring(0, text.length() - 9));

        InProcessCli.Result status = cli("status", "hostile");
        assertEquals("", status.err());
        assertTrue(status.out().contains("4 trial(s): 4 FINISHED"), status.out());
        InProcessCli.Result report = cli("report", "hostile");
        assertEquals(0, report.code(), report.err());
        assertFalse(report.out().contains("skipped"), report.out());
    }

    /** Guard: a sweep.json of the wrong shape is named and every trial folder read instead. */
    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"trials\": 5}", "{\"trials\": [null, {\"id\": 5}]}"})
    void aWrongShapedSweepRecordFallsBackToTheTrialFolders(String content) throws Exception {
        ExperimentFolder folder = swept();
        Files.writeString(folder.dir().resolve(ExperimentFolder.SWEEP), content);
        InProcessCli.Result status = cli("status", "hostile");
        assertEquals(0, status.code(), status.err());
        assertEquals(1, lines(status.err()).size(), status.err());
        assertTrue(status.err().startsWith("ablate: warning: " + folder.dir().resolve(ExperimentFolder.SWEEP) + ": "), status.err());
        assertTrue(status.err().endsWith("so every trial folder (4) is read\n"), status.err());
        assertTrue(status.out().contains("4 trial(s): 4 FINISHED"), status.out());
    }

    /** Failed before: after kill -9 status said RUNNING with nothing to tell that no process runs it. */
    @Test
    void aRunningTrialWhoseProcessIsGoneSaysSo() throws Exception {
        ExperimentFolder folder = swept();
        TrialFolder trial = firstTrial(folder);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(trial.file(TrialFolder.STATUS),
                org.ablate.store.TrialStatus.running(gone.pid(), org.ablate.provenance.Provenance.hostName()).render());

        InProcessCli.Result status = cli("status", "hostile");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().matches("(?s).*\\n" + trial.id() + "\\s.*RUNNING\\s+\\S+\\s+pid " + gone.pid()
                + " has ended \\(killed\\?\\): ablate run re-runs it\\n.*"), status.out());

        // a live process (this one) is not called ended; nor is one recorded on another host
        Files.writeString(trial.file(TrialFolder.STATUS),
                org.ablate.store.TrialStatus.running(ProcessHandle.current().pid(), org.ablate.provenance.Provenance.hostName()).render());
        assertFalse(cli("status", "hostile").out().contains("has ended"));
        Files.writeString(trial.file(TrialFolder.STATUS), org.ablate.store.TrialStatus.running(gone.pid(), "another-host").render());
        assertFalse(cli("status", "hostile").out().contains("has ended"));

        assertEquals(0, cli("run", tmp.resolve("hostile.yaml").toString()).code());
        assertTrue(trial.isFinished(), "run re-runs it");
    }

    /** Guard: a .lock left by a dead process (its pid still written in it) does not block the next run. */
    @Test
    void aLockLeftByADeadProcessDoesNotBlock() throws Exception {
        ExperimentFolder folder = swept();
        Files.writeString(folder.dir().resolve(".lock"), "pid 999999999");
        TrialFolder trial = firstTrial(folder);
        Files.delete(trial.file(TrialFolder.STATUS));
        InProcessCli.Result run = cli("run", tmp.resolve("hostile.yaml").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(trial.isFinished());
    }

    /**
     * Failed before: a FINISHED trial whose summary holds "-Infinity" (a value the store documents)
     * dropped out of a claim's n, and neither verify nor report.md said so.
     */
    @Test
    void aNonFiniteSummaryValueIsNotASilentlySmallerN() throws Exception {
        Path file = write(PROBE + "claims:\n  - {name: big, check: at_least, metric: result, where: {x: 1}, value: 0}\n");
        Sweeps.run(file, results());
        ExperimentFolder folder = new ResultsStore(results()).experiment("hostile");
        TrialFolder trial = firstTrial(folder);
        Files.writeString(trial.file(TrialFolder.SUMMARY), "{\"result\": \"-Infinity\", \"noise\": 0.5}");

        InProcessCli.Result verify = cli("verify", "hostile");
        assertTrue(verify.out().contains("(n=1)"), verify.out());
        assertTrue(verify.out().contains("non-finite"), "the lost seed is said: " + verify.out());
        assertEquals(0, cli("report", "hostile").code());
        assertTrue(Files.readString(folder.dir().resolve("report/report.md")).contains("non-finite"));
    }

    /** Failed before: a 300-character name passed validation and the run died at its first write (exit 6). */
    @Test
    void anOverlongExperimentNameIsRefusedBeforeAnythingIsWritten() throws Exception {
        String name = "n".repeat(300);
        Path file = write("task: probe\nname: " + name + "\n");
        assertOneError(cli("run", file.toString()), "ablate: error: " + file + ":2: name: experiment name of 300 characters is "
                + "too long for a folder name (at most 200; set a shorter 'name:')");
        assertFalse(Files.exists(results()), "nothing written");
        InProcessCli.Result status = cli("status", name);
        assertOneError(status, "ablate: error: " + "n".repeat(40) + "...: experiment name of 300 characters is too long");
        Path fits = write("task: probe\nname: " + "n".repeat(200) + "\n");
        assertEquals(0, cli("run", fits.toString(), "--fresh").code());
        assertEquals(0, cli("run", fits.toString(), "--fresh").code(), "--fresh's archived name fits too");
    }

    /** Failed before: --dry-run returned before --trial-timeout was parsed, so a dry run passed a run that exits 2. */
    @ParameterizedTest
    @ValueSource(strings = {"bogus", "0s", "99999999999d", "-5m"})
    void aBadTrialTimeoutFailsTheDryRunToo(String timeout) throws Exception {
        Path file = write(PROBE);
        assertOneError(cli("run", file.toString(), "--trial-timeout", timeout, "--dry-run"),
                "ablate: error: command line '--trial-timeout=" + timeout + "': --trial-timeout: invalid duration");
    }

    /** Failed before: a folder or a device given as the experiment was "experiment file not found". */
    @Test
    void aFolderOrDeviceGivenAsTheExperimentIsNamedAsSuch() throws Exception {
        Path folder = Files.createDirectory(tmp.resolve("sweep.yaml"));
        assertOneError(cli("run", folder.toString(), "--dry-run"), "ablate: error: " + folder
                + ": a folder, not an experiment file (give a path to a .yaml file, or the name of one in experiments/)");
        assertOneError(cli("run", "/dev/null", "--dry-run"), "ablate: error: /dev/null: not a regular file (a device or pipe), "
                + "not an experiment file");
    }
}
