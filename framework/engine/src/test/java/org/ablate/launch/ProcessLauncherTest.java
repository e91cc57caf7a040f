package org.ablate.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ablate.testing.InProcessCli;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.ChildFaultTask;
import org.ablate.testing.CliProcess;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process launcher with real child JVMs: results, a killed child, a hung one, Ctrl-C, bad input. */
class ProcessLauncherTest {

    private static final String PROBES = """
            name: probes
            task: probe
            params: {steps: 5}
            sweep: {grid: {x: [1, 2, 3], gadget: [plain, scaled]}}
            seeds: [4, 7]
            """;

    /** About 3 s a trial, so a signal lands inside one. */
    private static final String SLOW = """
            name: slow
            task: probe
            params: {steps: 60, sleep_ms: 50}
            sweep: {grid: {x: [1, 2, 3]}}
            """;

    @TempDir
    Path tmp;

    @Test
    void theProcessLauncherRecordsTheSameTrialsAndSummariesAsInProcess() throws Exception {
        Path file = Sweeps.write(tmp, "probes", PROBES);
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report", "-j", "2");
        assertEquals(0, threads.code(), threads.err());
        InProcessCli.Result children = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                "--no-report", "-j", "2", "--launcher", "process");
        assertEquals(0, children.code(), children.err());

        Map<String, Object> inProcess = recorded(new ResultsStore(tmp.resolve("a")).experiment("probes"));
        Map<String, Object> process = recorded(new ResultsStore(tmp.resolve("b")).experiment("probes"));
        assertEquals(12, process.size());
        assertEquals(inProcess, process, "same trial ids, states, seeds, parameters, summaries and metrics");
        assertEquals("process", Json.readMap(tmp.resolve("b/probes/sweep.json")).get("launcher"));
        assertEquals("in-process", Json.readMap(tmp.resolve("a/probes/sweep.json")).get("launcher"));
    }

    /** Per trial: state, seed, params, summary and the metric points without their timestamps. */
    private static Map<String, Object> recorded(ExperimentFolder folder) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (TrialFolder t : folder.trials()) {
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(t.file(TrialFolder.METRICS))) {
                Map<?, ?> m = Json.MAPPER.readValue(line, Map.class);
                points.add(m.get("step") + " " + m.get("name") + " " + m.get("value"));
            }
            out.put(t.id(), List.of(t.status().orElseThrow().state(), t.config().get("seed"), t.config().get("params"),
                    t.summary(), points));
        }
        return out;
    }

    @Test
    void killMinus9OfAChildFailsThatTrialWithItsExitCodeTheSweepGoesOnAndResumeRunsItAgain() throws Exception {
        Sweeps.write(tmp, "slow", SLOW);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("slow");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "slow.yaml", "--launcher", "process", "--no-report");
        long child = waitForRunningChild(folder, run);
        CliProcess.signal(child, "KILL");
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(1, run.exitValue(), log);
        assertEquals(2, count(folder, TrialState.FINISHED), log);
        List<TrialStatus> failed = statuses(folder, TrialState.FAILED);
        assertEquals(1, failed.size(), log);
        assertEquals("the trial's process exited with code 137 (killed: SIGKILL, e.g. kill -9 or the out-of-memory killer)",
                failed.get(0).reason());

        Process again = CliProcess.start(tmp, tmp.resolve("again.log"), "run", "slow.yaml", "--launcher", "process", "--no-report");
        assertTrue(again.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue(), Files.readString(tmp.resolve("again.log")));
        assertEquals(3, count(folder, TrialState.FINISHED));
        assertTrue(Files.readString(tmp.resolve("again.log")).contains("2 skipped (already finished)"));
    }

    /**
     * A child still starting when its launcher is killed is re-parented (to init) before it looks
     * for its parent: it must still notice, and leave the trial to the next sweep.
     */
    @Test
    void aChildWhoseLauncherWasKilledWhileItStartedDoesNotRunItsTrial() throws Exception {
        Sweeps.write(tmp, "slow", SLOW);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("slow");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "slow.yaml", "--launcher", "process", "--no-report");
        ProcessHandle[] child = {null};
        waitUntil(() -> {
            child[0] = run.descendants().filter(ProcessLauncherTest::isTrialChild).findFirst().orElse(null);
            return child[0] != null;
        }, run);
        CliProcess.signal(run, "KILL");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        child[0].onExit().get(60, TimeUnit.SECONDS);
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(0, count(folder, TrialState.FINISHED), "an orphan ran its trial to the end: " + log);
        assertEquals(0, count(folder, TrialState.RUNNING), log);
    }

    /**
     * Whether a process is a trial's {@code run-trial} child. Read from /proc, not ProcessHandle.Info:
     * that sees only the first 4 KiB of the command line, which the test classpath of a checkout in a
     * longer path fills before {@code run-trial} (the test then never found its child).
     */
    private static boolean isTrialChild(ProcessHandle h) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).contains("\0run-trial\0");
        } catch (IOException gone) {
            return false;
        }
    }

    @Test
    void aChildThatDiesIsRecordedFailedWithItsExitCodeAndTheTailOfItsOutput() throws Exception {
        Path file = Sweeps.write(tmp, "halt", "name: halt\ntask: child-fault\nparams: {fault: print-and-halt}\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "process");
        assertEquals(1, r.code(), r.err());
        TrialStatus status = statuses(new ResultsStore(tmp.resolve("results")).experiment("halt"), TrialState.FAILED).get(0);
        assertEquals("the trial's process exited with code 3", status.reason(), status.stackTrace());
        assertTrue(status.stackTrace().contains("child-fault: about to halt"), status.stackTrace());
    }

    @Test
    void aHungChildIsKilledAtTheTimeoutWithItsWholeProcessTree() throws Exception {
        Path file = Sweeps.write(tmp, "hang", "name: hang\ntask: child-fault\nparams: {fault: spawn-and-hang}\n");
        long started = System.nanoTime();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "process", "--trial-timeout", "8s");
        assertEquals(1, r.code(), r.err());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60), "the timeout did not end the trial");
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("hang");
        TrialFolder trial = folder.trials().get(0);
        assertEquals(TrialState.FAILED, trial.status().orElseThrow().state());
        assertEquals("timed out after 8.0s", trial.status().orElseThrow().reason());
        long grandchild = ChildFaultTask.pid(trial.file(TrialFolder.ARTIFACTS).resolve("grandchild.pid"));
        assertGone(grandchild);
        assertGone(ChildFaultTask.pid(trial.file(TrialFolder.ARTIFACTS).resolve("child.pid")));
    }

    @Test
    void theTimeoutCountsFromTheTrialsStartNotFromTheChildsStartUp() throws Exception {
        Path file = Sweeps.write(tmp, "hang", "name: hang\ntask: child-fault\nparams: {fault: spawn-and-hang}\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "process", "--trial-timeout", "4s");
        assertEquals(1, r.code(), r.err());
        TrialFolder trial = new ResultsStore(tmp.resolve("results")).experiment("hang").trials().get(0);
        assertEquals("timed out after 4.0s", trial.status().orElseThrow().reason());
        // duration_s runs from the start the child recorded: in-process a trial gets the whole timeout, so here too
        double ran = ((Number) trial.config().get("duration_s")).doubleValue();
        assertTrue(ran >= 3.9, "the trial ran " + ran + " s of its 4 s: the child's start-up was counted against it");
        assertTrue(ran < 30, "the trial was not stopped near its timeout: " + ran + " s");
    }

    @Test
    void ctrlCWithChildrenRunningKillsThemAndRecordsTheirTrialsInterrupted() throws Exception {
        Sweeps.write(tmp, "slow", SLOW);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("slow");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "slow.yaml", "--launcher", "process",
                "--parallel", "2", "--no-report");
        List<Long> children = new ArrayList<>();
        waitUntil(() -> {
            children.clear();
            try {
                for (TrialFolder t : folder.trials()) {
                    if (t.status().map(s -> s.state() == TrialState.RUNNING).orElse(false)) {
                        children.add(Long.parseLong(runningPid(t)));
                    }
                }
            } catch (IOException e) {
                return false;
            }
            return children.size() == 2;
        }, run);
        CliProcess.signal(run, "INT");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(130, run.exitValue(), log);
        for (long pid : children) {
            assertGone(pid);
        }
        assertEquals(0, count(folder, TrialState.RUNNING), log);
        List<TrialStatus> interrupted = statuses(folder, TrialState.INTERRUPTED);
        assertEquals(2, interrupted.size(), log);
        for (TrialStatus s : interrupted) {
            assertEquals("interrupted: the sweep was stopped (Ctrl-C or SIGTERM)", s.reason());
        }
        assertTrue(log.contains("2 running trial(s) marked INTERRUPTED"), log);
    }

    @Test
    void anUnknownLauncherOrLauncherOptionIsOneLineAndExit2() throws Exception {
        Path file = Sweeps.write(tmp, "probes", PROBES);
        String results = tmp.resolve("results").toString();
        InProcessCli.Result name = InProcessCli.run("run", file.toString(), "--results-dir", results, "--launcher", "proces");
        assertEquals(2, name.code());
        assertEquals("ablate: error: command line '--launcher=proces': --launcher: unknown launcher 'proces'; did you mean"
                + " 'process'? (accepted: in-process, process)\n", name.err());

        InProcessCli.Result option = InProcessCli.run("run", file.toString(), "--results-dir", results, "--launcher", "process",
                "launcher.output_line=3");
        assertEquals(2, option.code());
        assertEquals(1, option.err().lines().count(), option.err());
        assertTrue(option.err().startsWith("ablate: error: command line 'launcher.output_line=3'"), option.err());
        assertTrue(option.err().contains("unknown parameter of"), option.err());
        assertTrue(option.err().contains("did you mean 'output_lines'? (accepted: jvm_options, devices, class_archive, output_lines)"), option.err());

        // --detach names itself, not the launcher option it sets
        InProcessCli.Result detach = InProcessCli.run("run", file.toString(), "--results-dir", results, "--launcher", "process",
                "--detach");
        assertEquals(2, detach.code());
        assertEquals("ablate: error: --detach (launcher.detach=true): launcher 'process' cannot detach: its trials end with"
                + " this process (launchers that can: none installed)\n", detach.err());

        Path inFile = Sweeps.write(tmp, "badopt", "name: badopt\ntask: probe\nlauncher: {name: process, output_lines: 0}\n");
        InProcessCli.Result value = InProcessCli.run("run", inFile.toString(), "--results-dir", results, "--dry-run");
        assertEquals(2, value.code());
        assertEquals(1, value.err().lines().count(), value.err());
        assertTrue(value.err().contains("badopt.yaml") && value.err().contains("output_lines"), value.err());
        assertFalse(Files.exists(tmp.resolve("results/probes")), "nothing is written before the launcher is checked");
    }

    @Test
    void runTrialRefusesAnIdThatIsNotInThePlanWithItsOwnExitCode() throws Exception {
        Path file = Sweeps.write(tmp, "probes", PROBES);
        InProcessCli.Result r = InProcessCli.run("run-trial", file.toString(), "--trial", "0123456789ab",
                "--results-dir", tmp.resolve("results").toString());
        assertEquals(8, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ablate: error: --trial 0123456789ab: no such trial in the plan of " + file), r.err());
        assertFalse(Files.exists(tmp.resolve("results/probes/0123456789ab")));
    }

    private static long waitForRunningChild(ExperimentFolder folder, Process run) throws Exception {
        long[] pid = {0};
        waitUntil(() -> {
            try {
                for (TrialFolder t : folder.trials()) {
                    if (t.status().map(s -> s.state() == TrialState.RUNNING).orElse(false)
                            && Files.exists(t.file(TrialFolder.METRICS)) && Files.size(t.file(TrialFolder.METRICS)) > 0
                            && count(folder, TrialState.FINISHED) >= 1) {
                        pid[0] = Long.parseLong(runningPid(t));
                        return pid[0] != run.pid();
                    }
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
            return false;
        }, run);
        return pid[0];
    }

    /** The pid a RUNNING status records: the child's, since the child writes it. */
    private static String runningPid(TrialFolder t) throws IOException {
        String text = Files.readString(t.file(TrialFolder.STATUS));
        return text.lines().filter(l -> l.startsWith("pid: ")).findFirst().orElseThrow().substring(5).strip();
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " is still alive");
            }
            Thread.sleep(50);
        }
    }

    private static long count(ExperimentFolder folder, TrialState state) {
        return statuses(folder, state).size();
    }

    private static List<TrialStatus> statuses(ExperimentFolder folder, TrialState state) {
        try {
            return folder.trials().stream().map(t -> t.status()).filter(s -> s.map(x -> x.state() == state).orElse(false))
                    .map(java.util.Optional::orElseThrow).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; process alive=" + process.isAlive());
            }
            Thread.sleep(20);
        }
    }
}
