package org.ablate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged attempts ({@code run-trial --attempt}) and their commit: real trials run by the CLI into
 * {@code .staging/}, committed exactly once by {@link TrialCommit}.
 */
class TrialCommitTest {

    private static final String PROBES = """
            name: probes
            task: probe
            params: {steps: 5}
            sweep: {grid: {x: [1, 2]}}
            """;

    @TempDir
    Path tmp;
    private Path file;
    private Path results;
    private ExperimentFolder experiment;
    private String id;

    @BeforeEach
    void plan() throws IOException {
        file = Sweeps.write(tmp, "probes", PROBES);
        results = tmp.resolve("results");
        experiment = new ResultsStore(results).experiment("probes");
        id = Sweeps.plan(file).trials().get(0).id();
    }

    private InProcessCli.Result attempt(String token) {
        return InProcessCli.run("run-trial", file.toString(), "--trial", id, "--results-dir", results.toString(),
                "--attempt", token);
    }

    @Test
    void anAttemptWritesItsStagingFolderAndNothingThatReadersSeeUntilCommitted() throws Exception {
        InProcessCli.Result r = attempt("7.0.0");
        assertEquals(0, r.code(), r.err());
        TrialFolder staged = experiment.staged(id, "7.0.0");
        assertEquals(staged.dir(), results.resolve("probes/.staging/" + id + "/7.0.0"));
        assertTrue(staged.isFinished(), "the attempt's own records, status last");
        assertEquals(id, staged.id());
        assertFalse(experiment.trial(id).exists(), "nothing in the trial's folder before the commit");
        assertEquals(List.of(), experiment.trials(), "status, reports, sync and resume see committed trials only");
        InProcessCli.Result status = InProcessCli.run("status", "probes", "--results-dir", results.toString());
        assertFalse(status.out().contains("1 finished") || status.out().contains("FINISHED  "), status.out());
        // ... but it says that the trial finished in a staged attempt that the next run commits
        assertTrue(status.out().startsWith("0 trial(s): none\n1 trial(s) FINISHED in .staging/ but not yet committed:"
                + " the next `ablate run` commits them"), status.out());
    }

    @Test
    void twoAttemptsOfOneTrialCommitExactlyOnceAndTheOtherIsArchivedWithItsRecordsIntact() throws Exception {
        assertEquals(0, attempt("1.0.0").code());
        assertEquals(0, attempt("1.0.1").code());
        Map<String, byte[]> first = contents(experiment.staged(id, "1.0.0").dir());
        Map<String, byte[]> second = contents(experiment.staged(id, "1.0.1").dir());
        TrialCommit commit = new TrialCommit(experiment);

        assertEquals(java.util.Optional.of("1.0.0"), commit.firstEnded(id));
        TrialCommit.Result one = commit.commit(id, "1.0.0");
        assertTrue(one.committed());
        assertEquals(experiment.trial(id).dir(), one.trial().dir());
        assertTrue(experiment.trial(id).isFinished());
        assertSameFiles(first, contents(experiment.trial(id).dir()));
        Path archived = results.resolve("probes/.attempts/" + id + ".1");
        assertSameFiles(second, contents(archived));
        assertFalse(Files.exists(results.resolve("probes/.staging/" + id)), "nothing of the trial left staged");
        assertEquals(List.of(), experiment.stagedTrials());

        TrialCommit.Result again = commit.commit(id, "1.0.1");
        assertFalse(again.committed(), "a second commit of the trial is refused");
        assertSameFiles(first, contents(experiment.trial(id).dir()), "the committed trial is untouched");
        assertEquals(1, experiment.trials().size());
    }

    @Test
    void aCommitOntoAFinishedTrialIsRefusedAndTheAttemptArchivedUntouched() throws Exception {
        assertEquals(0, InProcessCli.run("run-trial", file.toString(), "--trial", id, "--results-dir", results.toString()).code());
        Map<String, byte[]> committed = contents(experiment.trial(id).dir());
        // an attempt that started before the trial was committed (it passed the check) and ended after
        Files.createDirectories(experiment.staged(id, "late").dir().getParent());
        copy(experiment.trial(id).dir(), experiment.staged(id, "late").dir());
        Files.writeString(experiment.staged(id, "late").file("marker"), "the late attempt");

        TrialCommit.Result r = new TrialCommit(experiment).commit(id, "late");
        assertFalse(r.committed());
        assertSameFiles(committed, contents(experiment.trial(id).dir()));
        assertEquals("the late attempt", Files.readString(results.resolve("probes/.attempts/" + id + ".1/marker")));
        assertFalse(experiment.staged(id, "late").exists());
    }

    @Test
    void anAttemptOfAFinishedTrialDoesNotRunWritesNothingAndExitsAlreadyCommitted() throws Exception {
        assertEquals(0, InProcessCli.run("run-trial", file.toString(), "--trial", id, "--results-dir", results.toString()).code());
        Map<String, byte[]> committed = contents(experiment.trial(id).dir());
        InProcessCli.Result r = attempt("2.0.0");
        assertEquals(9, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ablate: trial " + id + " is already committed FINISHED in "), r.err());
        assertFalse(Files.exists(results.resolve("probes/.staging")), "nothing written");
        assertSameFiles(committed, contents(experiment.trial(id).dir()));
    }

    @Test
    void aCommitArchivesAnEarlierUnfinishedTrialFolderFirstAsResumeDoes() throws Exception {
        Files.createDirectories(experiment.trial(id).dir());
        Files.writeString(experiment.trial(id).file(TrialFolder.STATUS), TrialStatus.ended(TrialState.FAILED, "boom", "").render());
        assertEquals(0, attempt("3.0.0").code());
        assertTrue(new TrialCommit(experiment).commit(id, "3.0.0").committed());
        assertTrue(experiment.trial(id).isFinished());
        assertEquals(TrialState.FAILED, TrialStatus.read(results.resolve("probes/.attempts/" + id + ".1/status")).state());
    }

    @Test
    void aBadAttemptTokenIsOneLineExitTwoAndNothingWritten() {
        InProcessCli.Result r = attempt("../x");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("--attempt: '../x' is not an attempt token"), r.err());
        assertFalse(Files.exists(results));
        assertThrows(IllegalArgumentException.class, () -> experiment.staged(id, ".hidden"));
    }

    @Test
    void theNextSweepCommitsAFinishedLeftoverAttemptArchivesTheRestAndRunsOnlyWhatIsLeft() throws Exception {
        String other = Sweeps.plan(file).trials().get(1).id();
        assertEquals(0, attempt("4.0.0").code());
        // a second trial's attempt that was running when its driver died
        TrialFolder running = experiment.staged(other, "4.1.0");
        Files.createDirectories(running.dir());
        Files.writeString(running.file(TrialFolder.STATUS), TrialStatus.running(1, "host").render());
        Map<String, byte[]> finished = contents(experiment.staged(id, "4.0.0").dir());

        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report");
        assertEquals(0, r.code(), r.err());
        assertSameFiles(finished, contents(experiment.trial(id).dir()), "committed as it was, not run again");
        assertTrue(experiment.trial(other).isFinished());
        assertEquals(TrialState.RUNNING, TrialStatus.read(results.resolve("probes/.attempts/" + other + ".1/status")).state());
        assertFalse(Files.exists(results.resolve("probes/.staging")));
    }

    @Test
    void recoveryLeavesTheAttemptsOfLiveTasksStagedArchivesTheirDeadOnesAndCommitsTheRest() throws Exception {
        String other = Sweeps.plan(file).trials().get(1).id();
        // trial id: a detached task that has recorded its end but that the scheduler still shows running,
        // beside a dead attempt of an earlier task of the same trial
        assertEquals(0, attempt("9_0.0").code());
        TrialFolder dead = experiment.staged(id, "8_0.0");
        Files.createDirectories(dead.dir());
        Files.writeString(dead.file(TrialFolder.STATUS), TrialStatus.running(1, "host").render());
        Map<String, byte[]> live = contents(experiment.staged(id, "9_0.0").dir());
        // trial other: a FINISHED attempt of a task that has ended
        assertEquals(0, InProcessCli.run("run-trial", file.toString(), "--trial", other, "--results-dir", results.toString(),
                "--attempt", "8_1.0").code());
        TrialCommit commit = new TrialCommit(experiment);

        TrialCommit.Recovery r = commit.recover(token -> token.startsWith("9_"));
        assertEquals(List.of(id), r.stillLive());
        assertEquals(List.of(other), r.committed());
        assertSameFiles(live, contents(experiment.staged(id, "9_0.0").dir()), "the live attempt is left as it is");
        assertEquals(List.of(experiment.staged(id, "9_0.0").dir()), experiment.stagedAttempts(id).stream().map(TrialFolder::dir).toList());
        assertFalse(experiment.trial(id).exists(), "a live attempt is not committed, even one that recorded FINISHED");
        assertEquals(TrialState.RUNNING, TrialStatus.read(results.resolve("probes/.attempts/" + id + ".1/status")).state());
        assertTrue(experiment.trial(other).isFinished());

        // once its task has ended, the next sweep's start commits it, and the staging folder goes
        r = commit.recover(org.ablate.spi.launch.LiveAttempts.NONE);
        assertEquals(List.of(id), r.committed());
        assertEquals(List.of(), r.stillLive());
        assertSameFiles(live, contents(experiment.trial(id).dir()));
        assertFalse(Files.exists(results.resolve("probes/.staging")));
    }

    @Test
    void aDeadFinishedAttemptBesideALiveOneIsCommittedAndTheLiveOneLeftStaged() throws Exception {
        // a FINISHED attempt of a task that ended, and a duplicate task of the same trial still running
        assertEquals(0, attempt("8_0.0").code());
        Map<String, byte[]> finished = contents(experiment.staged(id, "8_0.0").dir());
        TrialFolder live = experiment.staged(id, "9_0.0");
        Files.createDirectories(live.dir());
        Files.writeString(live.file(TrialFolder.STATUS), TrialStatus.running(1, "host").render());
        // and what a driver that died while unpacking a returned attempt left, under a hidden name
        Path unpack = results.resolve("probes/.staging/" + id + "/.7.returned-123");
        Files.createDirectories(unpack.resolve("sub"));
        Files.writeString(unpack.resolve("sub/half"), "x");

        TrialCommit.Recovery r = new TrialCommit(experiment).recover(token -> token.startsWith("9_"));
        assertEquals(List.of(id), r.committed(), "the finished work is kept, not archived");
        assertEquals(List.of(id), r.stillLive());
        assertSameFiles(finished, contents(experiment.trial(id).dir()));
        assertEquals(List.of(live.dir()), experiment.stagedAttempts(id).stream().map(TrialFolder::dir).toList(),
                "the live attempt stays staged");
        assertFalse(Files.exists(unpack), "the half-unpacked folder was left");
        // the live attempt, ending later, finds the trial committed and goes to .attempts/
        TrialCommit.Result late = new TrialCommit(experiment).commit(id, "9_0.0");
        assertFalse(late.committed());
        assertSameFiles(finished, contents(experiment.trial(id).dir()));
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertSameFiles(expected, actual, "");
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual, String what) {
        assertEquals(keys(expected), keys(actual), what);
        expected.forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, actual.get(k), k));
    }

    private static List<String> keys(Map<String, byte[]> m) {
        return List.copyOf(m.keySet());
    }

    /** Every file under a folder by relative path, with its bytes. */
    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
