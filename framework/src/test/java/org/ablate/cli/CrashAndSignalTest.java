package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.CliProcess;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real CLI in a child JVM, killed with SIGKILL or stopped with SIGINT, then run again. */
class CrashAndSignalTest {

    private static final String SLOW = """
            name: slow
            task: probe
            params: {steps: 20, sleep_ms: 25}
            sweep: {grid: {x: [1, 2, 3, 4, 5, 6, 7, 8]}}
            """;

    @TempDir
    Path tmp;

    @Test
    void killMinus9MidSweepThenTheSameCommandFinishesEveryTrialExactlyOnce() throws Exception {
        Path file = Sweeps.write(tmp, "slow", SLOW);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("slow");
        Process first = CliProcess.start(tmp, tmp.resolve("first.log"), "run", "slow.yaml", "--parallel", "2");
        waitUntil(() -> count(folder, TrialState.FINISHED) >= 2 && count(folder, TrialState.RUNNING) >= 1, first);
        CliProcess.signal(first, "KILL");
        first.waitFor(10, TimeUnit.SECONDS);
        assertEquals(137, first.exitValue());
        assertTrue(count(folder, TrialState.RUNNING) >= 1, "kill -9 should leave a RUNNING trial behind");
        Map<String, Object> startedBefore = new HashMap<>();
        for (TrialFolder t : folder.trials()) {
            if (t.isFinished()) {
                startedBefore.put(t.id(), t.config().get("started_at"));
            }
        }

        Process second = CliProcess.start(tmp, tmp.resolve("second.log"), "run", "slow.yaml", "--parallel", "2");
        assertTrue(second.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), Files.readString(tmp.resolve("second.log")));

        List<TrialSpec> plan = Sweeps.plan(file).trials();
        List<String> ids = new ArrayList<>();
        for (TrialFolder t : folder.trials()) {
            ids.add(t.id());
        }
        assertEquals(plan.stream().map(TrialSpec::id).sorted().toList(), ids, "one folder per trial, no extras");
        for (TrialFolder t : folder.trials()) {
            assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
            List<String> lines = Files.readAllLines(t.file(TrialFolder.METRICS));
            assertEquals(20, lines.size(), "metrics of " + t.id());
            for (int step = 0; step < 20; step++) {
                assertEquals(step, Json.MAPPER.readTree(lines.get(step)).get("step").asInt());
            }
            Json.readMap(t.file(TrialFolder.CONFIG));
            Json.readMap(t.file(TrialFolder.SUMMARY));
            if (startedBefore.containsKey(t.id())) {
                assertEquals(startedBefore.get(t.id()), t.config().get("started_at"), "finished trial " + t.id() + " ran again");
            }
            try (Stream<Path> files = Files.list(t.dir())) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left in " + t.id());
            }
        }
        String log = Files.readString(tmp.resolve("second.log"));
        assertTrue(log.contains("already finished"), log);
    }

    @Test
    void ctrlCMarksRunningTrialsInterruptedAndExits130() throws Exception {
        Sweeps.write(tmp, "slow", SLOW);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("slow");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "slow.yaml");
        waitUntil(() -> count(folder, TrialState.FINISHED) >= 1 && count(folder, TrialState.RUNNING) == 1, run);
        CliProcess.signal(run, "INT");
        assertTrue(run.waitFor(20, TimeUnit.SECONDS));
        assertEquals(130, run.exitValue());
        assertEquals(0, count(folder, TrialState.RUNNING));
        assertEquals(1, count(folder, TrialState.INTERRUPTED), Files.readString(tmp.resolve("run.log")));
        for (TrialFolder t : folder.trials()) {
            TrialStatus s = t.status().orElseThrow();
            if (s.state() == TrialState.INTERRUPTED) {
                assertEquals("interrupted: the sweep was stopped (Ctrl-C or SIGTERM)", s.reason());
            }
        }
        assertTrue(Files.readString(tmp.resolve("run.log")).contains("Run the same command again to resume."));

        Process again = CliProcess.start(tmp, tmp.resolve("again.log"), "run", "slow.yaml");
        assertTrue(again.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, again.exitValue());
        assertEquals(8, count(folder, TrialState.FINISHED));
    }

    private static long count(ExperimentFolder folder, TrialState state) {
        try {
            return folder.trials().stream().filter(t -> t.status().map(s -> s.state() == state).orElse(false)).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; process alive=" + process.isAlive());
            }
            Thread.sleep(20);
        }
    }
}
