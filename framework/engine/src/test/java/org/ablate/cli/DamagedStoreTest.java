package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ablate.run.SweepResult;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A results store damaged by hand (truncated, garbage, ill-shaped files, links, junk folders):
 * status, report and verify name the damaged file in one line and count the trial as not finished,
 * never with a smaller n said nowhere; run runs it again and keeps the damaged attempt.
 */
class DamagedStoreTest {

    private static final String EXPERIMENT = """
            name: dmg
            task: probe
            sweep: {grid: {x: [1, 2]}}
            repeats: 3
            headline: result
            claims:
              - name: result-at-least-five
                check: at_least
                metric: result
                where: {x: 1}
                value: 5
            """;

    @TempDir
    Path tmp;

    private Path file;
    private Path results;
    private ExperimentFolder folder;

    @BeforeEach
    void sweep() throws Exception {
        file = Sweeps.write(tmp, "dmg", EXPERIMENT);
        results = tmp.resolve("results");
        SweepResult r = Sweeps.run(file, results);
        assertEquals(6, r.outcomes().size());
        folder = new ResultsStore(results).experiment("dmg");
    }

    private InProcessCli.Result cli(String... args) {
        String[] withDir = Arrays.copyOf(args, args.length + 2);
        withDir[args.length] = "--results-dir";
        withDir[args.length + 1] = results.toString();
        return InProcessCli.run(withDir);
    }

    /** The first trial of configuration x=1, in sweep order. */
    private TrialFolder firstTrial() throws Exception {
        return Sweeps.plan(file).trials().stream().filter(t -> t.varying().get("x").equals(1.0)).findFirst()
                .map(t -> folder.trial(t.id())).orElseThrow();
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    static Stream<Arguments> damagedSummaries() {
        return Stream.of(
                Arguments.of("truncated", "{\n  \"result\" : 10.3,\n  \"noi".getBytes(StandardCharsets.UTF_8),
                        "summary.json: truncated JSON (it ends at line 3"),
                Arguments.of("garbage", "not json at all".getBytes(StandardCharsets.UTF_8), "summary.json: not valid JSON at line 1"),
                Arguments.of("array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8),
                        "summary.json: holds a JSON array, expected an object {...}"),
                Arguments.of("string value", "{\"result\": \"abc\"}".getBytes(StandardCharsets.UTF_8),
                        "summary.json: 'result' is \"abc\", expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")"),
                Arguments.of("empty", new byte[0], "summary.json: the file is empty"),
                Arguments.of("NUL bytes", new byte[64], "summary.json: not valid JSON at line 1"),
                Arguments.of("lower-case nan", "{\"result\": \"nan\"}".getBytes(StandardCharsets.UTF_8),
                        "summary.json: 'result' is \"nan\", expected a number"),
                Arguments.of("boolean", "{\"result\": true}".getBytes(StandardCharsets.UTF_8),
                        "summary.json: 'result' is true, expected a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedSummaries")
    void aDamagedSummaryIsNamedInOneLineSkippedAndRunAgain(String what, byte[] content, String problem) throws Exception {
        TrialFolder damaged = firstTrial();
        Files.write(damaged.file(TrialFolder.SUMMARY), content);

        InProcessCli.Result status = cli("status", "dmg");
        assertEquals(0, status.code(), status.err());
        List<String> warnings = lines(status.err());
        assertEquals(1, warnings.size(), status.err());
        assertTrue(warnings.get(0).startsWith("ablate: warning: " + damaged.dir() + "/" + problem), warnings.get(0));
        assertFalse(warnings.get(0).chars().anyMatch(Character::isISOControl), "one printable line");
        assertTrue(status.out().matches("(?s).*\\n" + damaged.id() + "\\s+1\\.0\\s+\\d+\\s+DAMAGED\\s+\\S+\\s+summary\\.json: .*"), status.out());
        assertTrue(status.out().contains("6 trial(s): 5 FINISHED, 1 DAMAGED (skipped"), status.out());

        InProcessCli.Result report = cli("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertEquals(1, lines(report.err()).size(), report.err());
        assertTrue(report.err().contains(problem), report.err());
        assertTrue(report.out().contains("1 trial(s) skipped as damaged"), report.out());
        String md = Files.readString(folder.dir().resolve("report/report.md"));
        assertTrue(md.contains("5 finished, 0 failed, 0 interrupted, 0 not started, 1 skipped as damaged"), md);
        assertTrue(md.contains("| 1.0 | 2/3 (1 damaged) |"), md);

        // the claim on x=1 lost a seed: it must say so, and not PASS on the rest
        InProcessCli.Result verify = cli("verify", file.toString());
        assertEquals(0, verify.code(), verify.out() + verify.err());
        assertTrue(verify.out().startsWith("1 trial(s) skipped as damaged"), verify.out());
        assertTrue(verify.out().contains("INCONCLUSIVE result-at-least-five"), verify.out());
        assertTrue(verify.out().contains("note: 1 trial(s) skipped as damaged (PASS on the rest); ablate run re-runs them"),
                verify.out());
        assertTrue(verify.out().endsWith("dmg: 1 claim(s): 0 PASS, 0 FAIL, 1 INCONCLUSIVE; 1 trial(s) skipped as damaged\n"),
                verify.out());

        SweepResult again = Sweeps.run(file, results);
        assertEquals(5, again.skipped());
        assertEquals(List.of(damaged.id()), again.outcomes().stream().map(o -> o.spec().id()).toList());
        assertTrue(damaged.isFinished());
        Path kept = folder.dir().resolve(ExperimentFolder.ATTEMPTS).resolve(damaged.id() + ".1");
        assertTrue(Arrays.equals(content, Files.readAllBytes(kept.resolve(TrialFolder.SUMMARY))), "the damaged attempt is kept");
        assertTrue(cli("status", "dmg").out().contains("6 trial(s): 6 FINISHED"));
    }

    @Test
    void anIntactClaimStillPasses() {
        InProcessCli.Result verify = cli("verify", file.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().startsWith("PASS         result-at-least-five"), verify.out());
        assertEquals("", verify.err());
    }

    static Stream<Arguments> damagedConfigs() {
        return Stream.of(
                Arguments.of("truncated", "{\n  \"trial_id\" : \"abc", "config.json: truncated JSON"),
                Arguments.of("no seed", "{\"params\": {\"x\": 1.0}}", "config.json: no 'seed' field"),
                Arguments.of("seed a string", "{\"seed\": \"abc\", \"params\": {\"x\": 1.0}}",
                        "config.json: 'seed' is \"abc\", expected a 64-bit integer"),
                Arguments.of("seed too large", "{\"seed\": 99999999999999999999999, \"params\": {}}",
                        "config.json: a number out of range at line 1, column 33: Numeric value (99999999999999999999999) out of range"),
                Arguments.of("params a list", "{\"seed\": 0, \"params\": [1]}", "config.json: 'params' is [1], expected an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedConfigs")
    void aDamagedConfigIsNamedInOneLineAndSkipped(String what, String content, String problem) throws Exception {
        TrialFolder damaged = firstTrial();
        Files.writeString(damaged.file(TrialFolder.CONFIG), content);
        InProcessCli.Result status = cli("status", "dmg");
        assertEquals(0, status.code(), status.err());
        assertEquals(1, lines(status.err()).size(), status.err());
        assertTrue(status.err().startsWith("ablate: warning: " + damaged.dir() + "/" + problem), status.err());
        assertTrue(status.out().contains("5 FINISHED, 1 DAMAGED"), status.out());
        // its configuration still comes from the sweep plan: x=1 shows, the report groups it right
        assertTrue(status.out().matches("(?s).*\\n" + damaged.id() + "\\s+1\\.0\\s+\\d+\\s+DAMAGED.*"), status.out());
        InProcessCli.Result report = cli("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(folder.dir().resolve("report/report.md")).contains("| 1.0 | 2/3 (1 damaged) |"));
        assertEquals(1, Sweeps.run(file, results).outcomes().size(), "run re-runs the damaged trial");
    }

    @Test
    void aConfigCopiedFromAnotherTrialIsDamage() throws Exception {
        var ids = Sweeps.plan(file).trials();
        TrialFolder a = folder.trial(ids.get(0).id());
        TrialFolder b = folder.trial(ids.get(1).id());
        Files.copy(b.file(TrialFolder.CONFIG), a.file(TrialFolder.CONFIG), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InProcessCli.Result status = cli("status", "dmg");
        assertTrue(status.err().contains(a.dir() + "/config.json: it belongs to trial \"" + b.id() + "\", not to folder " + a.id()),
                status.err());
        assertTrue(status.out().contains("1 DAMAGED"), status.out());
    }

    @Test
    void aFinishedTrialWithoutItsSummaryOrConfigDoesNotSilentlyDropOut() throws Exception {
        var plan = Sweeps.plan(file).trials();
        TrialFolder noSummary = folder.trial(plan.get(0).id());
        TrialFolder noConfig = folder.trial(plan.get(1).id());
        Files.delete(noSummary.file(TrialFolder.SUMMARY));
        Files.delete(noConfig.file(TrialFolder.CONFIG));
        InProcessCli.Result status = cli("status", "dmg");
        assertTrue(status.out().contains("6 trial(s): 4 FINISHED, 2 DAMAGED"), status.out());
        assertTrue(status.err().contains(noSummary.dir() + "/summary.json: missing (the trial is recorded FINISHED)"), status.err());
        assertTrue(status.err().contains(noConfig.dir() + "/config.json: missing (the status file says FINISHED)"), status.err());
        InProcessCli.Result report = cli("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().contains("2 trial(s) skipped as damaged"), report.out());
        String md = Files.readString(folder.dir().resolve("report/report.md"));
        assertTrue(md.contains("4 finished, 0 failed, 0 interrupted, 0 not started, 2 skipped as damaged"), md);
    }

    @Test
    void aStatusFileWithAnUnknownStateIsDamage() throws Exception {
        TrialFolder t = firstTrial();
        Files.writeString(t.file(TrialFolder.STATUS), "DONE\nat: yesterday\n");
        InProcessCli.Result status = cli("status", "dmg");
        assertTrue(status.err().contains(t.dir() + "/status: unknown state 'DONE' on its first line (expected one of RUNNING, "
                + "FINISHED, FAILED, INTERRUPTED)"), status.err());
        assertTrue(status.out().contains("5 FINISHED, 1 DAMAGED"), status.out());
        Files.writeString(t.file(TrialFolder.STATUS), "");
        assertTrue(cli("status", "dmg").err().contains(t.dir() + "/status: the file is empty"));
        Files.write(t.file(TrialFolder.STATUS), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertTrue(cli("status", "dmg").err().contains(t.dir() + "/status: not UTF-8 text"));
        assertEquals(1, Sweeps.run(file, results).outcomes().size());
    }

    @Test
    void aSymbolicLinkLoopIsDamageNotAMissingFile() throws Exception {
        TrialFolder t = firstTrial();
        Files.delete(t.file(TrialFolder.SUMMARY));
        Files.createSymbolicLink(t.file(TrialFolder.SUMMARY), t.file(TrialFolder.SUMMARY));
        InProcessCli.Result status = cli("status", "dmg");
        assertTrue(status.err().contains(t.dir() + "/summary.json: a symbolic link that cannot be followed (a loop, or its target is gone)"),
                status.err());
        assertEquals(0, cli("report", file.toString()).code());
        // a trial folder that is a link to itself is no trial at all: listed as never started, not a crash
        Path loop = folder.dir().resolve("0123456789ab");
        Files.createSymbolicLink(loop, loop);
        assertEquals(0, cli("status", "dmg", "--all").code());
    }

    @Test
    void aNanStringIsTheStoresNaNNotDamage() throws Exception {
        TrialFolder t = firstTrial();
        Files.writeString(t.file(TrialFolder.SUMMARY), "{\"result\": \"NaN\", \"noise\": \"-Infinity\"}");
        InProcessCli.Result status = cli("status", "dmg");
        assertEquals("", status.err());
        assertTrue(status.out().matches("(?s).*\\n" + t.id() + "\\s+1\\.0\\s+\\d+\\s+FINISHED\\s+\\S+\\s+NaN\\n.*"), status.out());
        assertTrue(status.out().contains("6 trial(s): 6 FINISHED"), status.out());
    }

    @Test
    void aJunkFolderWithAStatusFileIsNotATrial() throws Exception {
        Path junk = folder.dir().resolve("junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("status"), "FINISHED\n");
        Files.createDirectories(folder.dir().resolve("notes"));
        Files.writeString(folder.dir().resolve("notes/config.json"), "{}");
        InProcessCli.Result status = cli("status", "dmg", "--all");
        assertEquals(0, status.code(), status.err());
        assertFalse(status.out().contains("junk"), status.out());
        assertFalse(status.out().contains("notes"), status.out());
        assertTrue(status.out().contains("6 trial(s): 6 FINISHED\n"), status.out());
        assertEquals("", status.err());
    }

    @Test
    void aTruncatedSweepFileIsNamedAndStatusReadsTheTrialFolders() throws Exception {
        Path sweep = folder.dir().resolve(ExperimentFolder.SWEEP);
        byte[] full = Files.readAllBytes(sweep);
        Files.write(sweep, Arrays.copyOf(full, full.length / 2));
        InProcessCli.Result status = cli("status", "dmg");
        assertEquals(0, status.code(), status.err());
        assertEquals(1, lines(status.err()).size(), status.err());
        assertTrue(status.err().startsWith("ablate: warning: " + sweep + ": truncated JSON"), status.err());
        assertTrue(status.err().contains("the latest invocation is unknown, so every trial folder (6) is read"), status.err());
        // the swept key is found from the trials themselves
        assertTrue(lines(status.out()).get(0).matches("ID\\s+x\\s+SEED\\s+STATUS\\s+DURATION\\s+HEADLINE"), status.out());
        assertTrue(status.out().contains("6 trial(s): 6 FINISHED"), status.out());
        InProcessCli.Result report = cli("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(report.err().contains(sweep + ": truncated JSON"), report.err());
        assertTrue(report.out().contains("PASS         result-at-least-five"), report.out());
        // run rewrites it
        Sweeps.run(file, results);
        assertEquals("", cli("status", "dmg").err());
    }

    @Test
    void aSweepFileListingAPathAsATrialIdIsDamageAndNothingOutsideIsRead() throws Exception {
        Path sweep = folder.dir().resolve(ExperimentFolder.SWEEP);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("status"), "FINISHED\n");
        Files.writeString(sweep, Files.readString(sweep).replaceFirst("\"id\" : \"[0-9a-f]{12}\"", "\"id\" : \"../../outside\""));
        InProcessCli.Result status = cli("status", "dmg");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.err().startsWith("ablate: warning: " + sweep + ": 'trials' is not a list of {id, seed, varying} with "
                + "12-hex-digit ids; the latest invocation is unknown, so every trial folder (6) is read"), status.err());
        assertFalse(status.out().contains("outside"), status.out());
        assertTrue(status.out().contains("6 trial(s): 6 FINISHED"), status.out());
    }

    @Test
    void aDeletedSweepFileStillGivesStatusAndReport() throws Exception {
        Files.delete(folder.dir().resolve(ExperimentFolder.SWEEP));
        InProcessCli.Result status = cli("status", "dmg");
        assertEquals(0, status.code(), status.err());
        assertTrue(status.err().contains("sweep.json: missing; the latest invocation is unknown, so every trial folder (6) is read"),
                status.err());
        assertTrue(lines(status.out()).get(0).matches("ID\\s+x\\s+SEED\\s+STATUS\\s+DURATION\\s+HEADLINE"), status.out());
        InProcessCli.Result report = cli("report", file.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(folder.dir().resolve("report/report.md")).contains("Covers every trial folder: "));
    }
}
