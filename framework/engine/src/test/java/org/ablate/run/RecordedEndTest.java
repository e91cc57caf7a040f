package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a trial stopped from outside (timeout) leaves on disk: status, config.json and metrics
 * must say how it ended, read back from the files, not from the runner's in-memory outcome.
 */
class RecordedEndTest {

    @TempDir
    Path tmp;

    private TrialFolder onlyTrial(String experiment) throws Exception {
        List<TrialFolder> trials = new ResultsStore(tmp.resolve("results")).experiment(experiment).trials();
        assertEquals(1, trials.size());
        return trials.get(0);
    }

    private static void assertRecordedEnd(TrialFolder t, TrialState state, String reason) throws Exception {
        TrialStatus status = TrialStatus.read(t.file(TrialFolder.STATUS));
        assertEquals(state, status.state(), Files.readString(t.file(TrialFolder.STATUS)));
        assertEquals(reason, status.reason());
        Map<String, Object> config = Json.readMap(t.file(TrialFolder.CONFIG));
        assertEquals(state.name(), config.get("state"));
        assertNotNull(config.get("ended_at"), "config.json has no end time");
        String log = Files.readString(t.file(TrialFolder.LOG));
        assertFalse(log.contains("cannot record its end"), log);
        try (var files = Files.list(t.dir())) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp file left in " + t.dir());
        }
    }

    @Test
    void aBusyTaskPastItsTimeoutIsRecordedFailedOnDisk() throws Exception {
        Path file = Sweeps.write(tmp, "busy", """
                task: spin
                params: {steps: 1000, busy_ms: 20}
                """);
        SweepResult result = Sweeps.run(file, tmp.resolve("results"),
                RunOptions.defaults().withTrialTimeout(Duration.ofMillis(300)));
        assertEquals(TrialState.FAILED, result.outcomes().get(0).state());
        assertRecordedEnd(onlyTrial("busy"), TrialState.FAILED, "timed out after 300ms");
    }

    @Test
    void metricsLoggedBeforeATimeoutAreKept() throws Exception {
        Path file = Sweeps.write(tmp, "kept", """
                task: spin
                params: {steps: 1000, busy_ms: 5}
                """);
        Sweeps.run(file, tmp.resolve("results"), RunOptions.defaults().withTrialTimeout(Duration.ofMillis(400)));
        TrialFolder t = onlyTrial("kept");
        assertRecordedEnd(t, TrialState.FAILED, "timed out after 400ms");
        List<String> lines = Files.readAllLines(t.file(TrialFolder.METRICS));
        assertTrue(lines.size() >= 10, "only " + lines.size() + " metric points survived the cancellation");
        for (int step = 0; step < lines.size(); step++) {
            assertEquals(step, Json.MAPPER.readTree(lines.get(step)).get("step").asInt(), "line " + step);
        }
    }

    @Test
    void aOneMillisecondTimeoutStillRecordsTheTrialFailed() throws Exception {
        Path file = Sweeps.write(tmp, "instant", """
                task: spin
                params: {steps: 100, busy_ms: 50}
                """);
        SweepResult result = Sweeps.run(file, tmp.resolve("results"),
                RunOptions.defaults().withTrialTimeout(Duration.ofMillis(1)));
        assertEquals(TrialState.FAILED, result.outcomes().get(0).state());
        assertRecordedEnd(onlyTrial("instant"), TrialState.FAILED, "timed out after 1ms");
    }

    @Test
    void aTaskThatIgnoresItsInterruptIsRecordedFailedWithTheGraceInTheReason() throws Exception {
        Path file = Sweeps.write(tmp, "deaf", """
                task: probe
                params: {mode: hang, steps: 2, sleep_ms: 3000}
                """);
        Sweeps.run(file, tmp.resolve("results"), RunOptions.defaults()
                .withTrialTimeout(Duration.ofMillis(100)).withTimeoutGrace(Duration.ofMillis(200)));
        TrialFolder t = onlyTrial("deaf");
        assertRecordedEnd(t, TrialState.FAILED, "timed out after 100ms; the task did not stop within 200ms of cancellation");
        Thread.sleep(3_500); // the deaf task wakes up and returns: the record must not change
        assertRecordedEnd(t, TrialState.FAILED, "timed out after 100ms; the task did not stop within 200ms of cancellation");
    }

    @Test
    void aTimedOutTrialRunsAgainOnResumeWithItsFailedAttemptKept() throws Exception {
        Path file = Sweeps.write(tmp, "again", """
                task: spin
                params: {steps: 4, busy_ms: 200}
                """);
        Sweeps.run(file, tmp.resolve("results"), RunOptions.defaults().withTrialTimeout(Duration.ofMillis(100)));
        SweepResult second = Sweeps.run(file, tmp.resolve("results"));
        assertTrue(second.allFinished());
        TrialFolder t = onlyTrial("again");
        assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
        Path old = tmp.resolve("results/again/.attempts/" + t.id() + ".1");
        assertEquals(TrialState.FAILED, TrialStatus.read(old.resolve(TrialFolder.STATUS)).state());
    }
}
