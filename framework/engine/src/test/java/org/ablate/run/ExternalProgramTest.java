package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trial protocol from a Java task ({@code spi.task.ExternalProgram}, through the test plugin's
 * {@code program} task) with real Python programs: the records the framework writes from what the
 * program reported, its output, its failures, and its process group at the timeout and on Ctrl-C.
 */
class ExternalProgramTest {

    @TempDir
    Path tmp;

    private Path script(String name) throws IOException {
        Path target = tmp.resolve("programs").resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/programs/" + name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private Path experiment(String name, String script, String params) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\ntask: program\nparams: {script: '" + script(script) + "', " + params
                + "}\nseeds: [3]\n");
        return file;
    }

    private InProcessCli.Result run(Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report"));
        args.addAll(List.of(more));
        return InProcessCli.run(args.toArray(String[]::new));
    }

    private TrialFolder onlyTrial(String experiment) throws IOException {
        List<TrialFolder> trials = new ResultsStore(tmp.resolve("results")).experiment(experiment).trials();
        assertEquals(1, trials.size());
        return trials.get(0);
    }

    @Test
    void whatTheProgramReportsBecomesTheTrialsRecordsByteForByteAsTheClientWroteThem() throws Exception {
        InProcessCli.Result r = run(experiment("ok", "protocol_probe.py", "mode: ok, steps: 4, x: 1.5"));
        assertEquals(0, r.code(), r.toString());
        TrialFolder trial = onlyTrial("ok");
        assertEquals(TrialState.FINISHED, trial.status().orElseThrow().state());

        Map<String, Object> summary = trial.summary();
        assertEquals(3.0, summary.get("result"));
        assertEquals(3.0, summary.get("seed"));
        assertEquals(3.0, summary.get("env_seed"));
        assertEquals(summary.get("threads"), summary.get("omp_threads"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), summary.get("threads"));
        // the framework's summary.json and metrics.jsonl are the client's own bytes: same format, the program's timestamps
        Path records = trial.dir().resolve("scratch/program");
        assertArrayEquals(Files.readAllBytes(records.resolve("summary.json")), Files.readAllBytes(trial.file(TrialFolder.SUMMARY)));
        assertArrayEquals(Files.readAllBytes(records.resolve("metrics.jsonl")), Files.readAllBytes(trial.file(TrialFolder.METRICS)));
        List<String> lines = Files.readAllLines(trial.file(TrialFolder.METRICS));
        assertEquals(8, lines.size());
        assertTrue(lines.get(2).startsWith("{\"step\":1,\"name\":\"train/loss\",\"value\":0.5,\"timestamp\":"), lines.get(2));

        Map<String, Object> task = Json.readMap(trial.file("task.json"));
        assertEquals(trial.id(), task.get("trial_id"));
        assertEquals(3L, task.get("seed"));
        assertEquals(Map.of("script", tmp.resolve("programs/protocol_probe.py").toString(), "mode", "ok", "steps", 4L,
                "x", 1.5), task.get("params"));
        assertEquals("written by the program", Files.readString(trial.file("artifacts/notes/hello.txt")));
        String log = Files.readString(trial.file(TrialFolder.LOG));
        assertTrue(log.contains("hello from trial " + trial.id()) && log.contains("a line on stderr"), log);
    }

    @Test
    void theProcessLauncherRecordsTheSameTrialAsInProcessAndTheProgramNeverSeesTrackingVariables() throws Exception {
        Path file = experiment("same", "protocol_probe.py", "mode: ok, steps: 5, x: 2.0");
        Process inProcess = CliProcess.start(tmp, tmp.resolve("a.log"), Map.of("MLFLOW_TRACKING_TOKEN", "secret-1"),
                "run", file.toString(), "--results-dir", tmp.resolve("a").toString(), "--no-report");
        assertTrue(inProcess.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, inProcess.exitValue(), Files.readString(tmp.resolve("a.log")));
        Process children = CliProcess.start(tmp, tmp.resolve("b.log"), Map.of("MLFLOW_TRACKING_TOKEN", "secret-1"),
                "run", file.toString(), "--results-dir", tmp.resolve("b").toString(), "--no-report", "--launcher", "process");
        assertTrue(children.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, children.exitValue(), Files.readString(tmp.resolve("b.log")));

        Map<String, Object> a = recorded(new ResultsStore(tmp.resolve("a")).experiment("same"));
        Map<String, Object> b = recorded(new ResultsStore(tmp.resolve("b")).experiment("same"));
        assertEquals(a, b);
        TrialFolder trial = new ResultsStore(tmp.resolve("a")).experiment("same").trials().get(0);
        assertEquals(0.0, trial.summary().get("tracking_vars"));
    }

    /** Per trial: state, seed, params, summary less its host-dependent values, and the points without timestamps. */
    private static Map<String, Object> recorded(ExperimentFolder folder) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (TrialFolder t : folder.trials()) {
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(t.file(TrialFolder.METRICS))) {
                Map<?, ?> m = Json.MAPPER.readValue(line, Map.class);
                points.add(m.get("step") + " " + m.get("name") + " " + m.get("value"));
            }
            Map<String, Object> summary = new TreeMap<>(t.summary());
            summary.keySet().removeAll(List.of("threads", "omp_threads", "gpus"));
            out.put(t.id(), List.of(t.status().orElseThrow().state(), t.config().get("seed"), t.config().get("params"),
                    summary, points));
        }
        return out;
    }

    @Test
    void aProgramThatExitsNonZeroFailsWithItsLastStderrLineAndKeepsWhatItLogged() throws Exception {
        InProcessCli.Result r = run(experiment("fails", "protocol_probe.py", "mode: fail"));
        assertEquals(1, r.code(), r.toString());
        TrialFolder trial = onlyTrial("fails");
        TrialStatus status = trial.status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertEquals("the program exited with code 1: ValueError: the program failed as asked", status.reason());
        assertTrue(status.stackTrace().contains("Traceback (most recent call last):"), status.stackTrace());
        assertEquals(6, Files.readAllLines(trial.file(TrialFolder.METRICS)).size());
        assertFalse(Files.exists(trial.file(TrialFolder.SUMMARY)));
    }

    @Test
    void aProgramThatDoesNotUseTheClientStillRunsItsOutputInTheTrialLog() throws Exception {
        InProcessCli.Result ok = run(experiment("plain", "no_client.py", "mode: '0'"));
        assertEquals(0, ok.code(), ok.toString());
        TrialFolder trial = onlyTrial("plain");
        assertEquals(TrialState.FINISHED, trial.status().orElseThrow().state());
        assertEquals(Map.of(), trial.summary());
        String log = Files.readString(trial.file(TrialFolder.LOG));
        assertTrue(log.contains("plain stdout line") && log.contains("stderr line 49"), log);

        InProcessCli.Result bad = run(experiment("plain-fails", "no_client.py", "mode: '3'"));
        assertEquals(1, bad.code(), bad.toString());
        TrialStatus status = onlyTrial("plain-fails").status().orElseThrow();
        assertEquals("the program exited with code 3: RuntimeError: exit as asked", status.reason());
        assertTrue(status.stackTrace().contains("stderr line 49"), status.stackTrace());
        assertFalse(status.stackTrace().contains("stderr line 5\n"), "only the last 40 stderr lines: " + status.stackTrace());
    }

    @Test
    void aMalformedMetricsLineFailsTheTrialAtOnceNamingTheLine() throws Exception {
        long started = System.nanoTime();
        InProcessCli.Result r = run(experiment("malformed", "protocol_probe.py", "mode: malformed"));
        assertEquals(1, r.code(), r.toString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40), "the program was not stopped");
        TrialFolder trial = onlyTrial("malformed");
        String reason = trial.status().orElseThrow().reason();
        assertEquals("the program wrote a malformed record: metrics line 7 of " + trial.dir().resolve("scratch/program")
                .toAbsolutePath().resolve("metrics.jsonl") + " has no 'name' (a non-empty string): {\"step\": 9, \"value\": 1.0}",
                reason);
        assertEquals(6, Files.readAllLines(trial.file(TrialFolder.METRICS)).size(), "the points before it are kept");
    }

    @Test
    void aNonFiniteSummaryValueFailsTheTrialWithItsName() throws Exception {
        InProcessCli.Result r = run(experiment("nan", "protocol_probe.py", "mode: nan"));
        assertEquals(1, r.code(), r.toString());
        TrialFolder trial = onlyTrial("nan");
        String reason = trial.status().orElseThrow().reason();
        assertTrue(reason.startsWith("the program's summary value 'result' is NaN: a summary value must be a finite number"),
                reason);
        assertFalse(Files.exists(trial.file(TrialFolder.SUMMARY)));
    }

    @Test
    void theTimeoutKillsTheProgramsWholeGroupAndTheTrialKeepsWhatWasRelayed() throws Exception {
        InProcessCli.Result r = run(experiment("hangs", "protocol_probe.py", "mode: hang"), "--trial-timeout", "4s");
        assertEquals(1, r.code(), r.toString());
        TrialFolder trial = onlyTrial("hangs");
        TrialStatus status = trial.status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertTrue(status.reason().contains("timed out"), status.reason());
        assertGone(Long.parseLong(Files.readString(trial.file("sleeper.pid")).strip()));
        assertTrue(Files.readAllLines(trial.file(TrialFolder.METRICS)).size() > 5, "points were relayed while it ran");
    }

    @Test
    void underTheProcessLauncherTheTimeoutKillsTheProgramWithItsChildJvm() throws Exception {
        InProcessCli.Result r = run(experiment("hangs", "protocol_probe.py", "mode: hang"), "--trial-timeout", "15s",
                "--launcher", "process");
        assertEquals(1, r.code(), r.toString());
        TrialFolder trial = onlyTrial("hangs");
        TrialStatus status = trial.status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertTrue(status.reason().contains("timed out"), status.reason());
        assertGone(Long.parseLong(Files.readString(trial.file("sleeper.pid")).strip()));
        assertTrue(Files.readAllLines(trial.file(TrialFolder.METRICS)).size() > 5, "points were relayed while it ran");
    }

    @Test
    void ctrlCKillsTheProgramsGroupAndRecordsTheTrialInterrupted() throws Exception {
        Path file = experiment("ctrlc", "protocol_probe.py", "mode: hang");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", file.toString(), "--results-dir",
                tmp.resolve("results").toString(), "--no-report");
        Path pidFile = null;
        for (int i = 0; i < 600 && pidFile == null; i++) {
            try (var found = Files.find(tmp.resolve("results"), 3, (p, a) -> p.endsWith("sleeper.pid"))) {
                pidFile = found.findFirst().orElse(null);
            } catch (IOException notYet) {
                // the results folder is not there yet
            }
            Thread.sleep(100);
        }
        assertTrue(pidFile != null, Files.readString(tmp.resolve("run.log")));
        Thread.sleep(300);
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        CliProcess.signal(run, "INT");
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, run.exitValue(), Files.readString(tmp.resolve("run.log")));
        TrialStatus status = onlyTrial("ctrlc").status().orElseThrow();
        assertEquals(TrialState.INTERRUPTED, status.state(), status.reason());
        assertGone(sleeper);
    }

    /**
     * Ctrl-C at a terminal signals its whole foreground process group: the program, in a session of
     * its own, must not get it (it would die of KeyboardInterrupt first and race the INTERRUPTED record).
     */
    @Test
    void ctrlCAtATerminalReachesOnlyAblateAndTheTrialIsInterruptedNotFailed() throws Exception {
        Path file = experiment("terminal", "protocol_probe.py", "mode: hang");
        Process script = CliProcess.startOnTerminal(tmp, tmp.resolve("run.log"), "run", file.toString(), "--results-dir",
                tmp.resolve("results").toString(), "--no-report");
        ProcessHandle jvm = CliProcess.cliOf(script);
        Path pidFile = null;
        for (int i = 0; i < 600 && pidFile == null; i++) {
            try (var found = Files.find(tmp.resolve("results"), 3, (p, a) -> p.endsWith("sleeper.pid"))) {
                pidFile = found.findFirst().orElse(null);
            } catch (IOException notYet) {
                // the results folder is not there yet
            }
            Thread.sleep(100);
        }
        assertTrue(pidFile != null, Files.readString(tmp.resolve("run.log")));
        Thread.sleep(300);
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        Process ps = new ProcessBuilder("ps", "-o", "pgid=", "-p", Long.toString(jvm.pid())).start();
        String group = new String(ps.getInputStream().readAllBytes()).strip();
        assertTrue(ps.waitFor(10, TimeUnit.SECONDS) && !group.isEmpty());
        assertEquals(0, new ProcessBuilder("kill", "-INT", "--", "-" + group).start().waitFor()); // what the terminal does
        assertTrue(script.waitFor(60, TimeUnit.SECONDS));
        TrialFolder trial = onlyTrial("terminal");
        TrialStatus status = trial.status().orElseThrow();
        assertEquals(TrialState.INTERRUPTED, status.state(), status.reason());
        assertFalse(Files.readString(trial.file(TrialFolder.LOG)).contains("KeyboardInterrupt"),
                "the program got the terminal's SIGINT: " + Files.readString(trial.file(TrialFolder.LOG)));
        assertGone(sleeper);
    }

    private static void assertGone(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " outlived its trial");
    }
}
