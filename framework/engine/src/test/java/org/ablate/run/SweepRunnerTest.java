package org.ablate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ExperimentLockedException;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRunnerTest {

    @TempDir
    Path tmp;

    private Path results() {
        return tmp.resolve("results");
    }

    private static final String GRID = """
            name: grid
            task: probe
            params: {n: 4, steps: 5}
            sweep:
              grid:
                x: [1, 2]
                gadget: [plain, scaled]
            seeds: [0, 1]
            headline: result
            """;

    @Test
    void aFinishedSweepWritesEveryTrialFolderAsDocumented() throws Exception {
        Path file = Sweeps.write(tmp, "grid", GRID);
        SweepResult result = Sweeps.run(file, results());
        assertEquals(8, result.outcomes().size());
        assertTrue(result.allFinished());

        ExperimentFolder folder = new ResultsStore(results()).experiment("grid");
        assertEquals(GRID, Files.readString(folder.dir().resolve("experiment.yaml")));
        Map<String, Object> sweep = Json.readMap(folder.dir().resolve(ExperimentFolder.SWEEP));
        assertEquals(List.of("x", "gadget"), sweep.get("varying"));
        assertEquals(8, ((List<?>) sweep.get("trials")).size());

        SweepPlan plan = Sweeps.plan(file);
        for (TrialSpec spec : plan.trials()) {
            TrialFolder trial = folder.trial(spec.id());
            assertEquals(TrialState.FINISHED, trial.status().orElseThrow().state());
            Map<String, Object> config = trial.config();
            assertEquals(spec.id(), config.get("trial_id"));
            assertEquals("grid", config.get("experiment"));
            assertEquals("probe", config.get("task"));
            assertEquals(spec.seed(), ((Number) config.get("seed")).longValue());
            assertEquals(Json.MAPPER.convertValue(spec.params().asMap(), Map.class), config.get("params"));
            @SuppressWarnings("unchecked")
            Map<String, Object> provenance = (Map<String, Object>) config.get("provenance");
            for (String key : List.of("git", "java_version", "nd4j_backend", "host", "plugins", "command")) {
                assertTrue(provenance.containsKey(key), "provenance lacks " + key);
            }
            assertEquals("17", provenance.get("java_version").toString().split("\\.")[0]);
            assertTrue(Instant.parse((String) config.get("started_at"))
                    .compareTo(Instant.parse((String) config.get("ended_at"))) <= 0);

            List<String> lines = Files.readAllLines(trial.file(TrialFolder.METRICS));
            assertEquals(5, lines.size());
            for (int step = 0; step < 5; step++) {
                Map<String, Object> point = Json.MAPPER.readValue(lines.get(step), Map.class);
                assertEquals(List.of("step", "name", "value", "timestamp"), new ArrayList<>(point.keySet()));
                assertEquals(step, ((Number) point.get("step")).intValue());
                assertEquals("train/value", point.get("name"));
                assertTrue(((Number) point.get("timestamp")).longValue() > 1_600_000_000_000L);
            }
            Map<String, Object> summary = trial.summary();
            assertEquals(List.of("noise", "result"), new ArrayList<>(summary.keySet()));
            double scale = spec.params().getString("gadget").equals("scaled") ? 2.0 : 1.0;
            assertEquals(spec.params().getDouble("x") * scale * 4 + (Double) summary.get("noise"),
                    (Double) summary.get("result"), 1e-12);
            assertEquals(spec.params().toString(),
                    Files.readString(trial.file(TrialFolder.ARTIFACTS).resolve("params.txt"), StandardCharsets.UTF_8));
            assertTrue(Files.exists(trial.file(TrialFolder.LOG)));
        }
    }

    @Test
    void aSecondRunDoesNothingNew() throws Exception {
        Path file = Sweeps.write(tmp, "grid", GRID);
        Sweeps.run(file, results());
        Path someSummary = new ResultsStore(results()).experiment("grid").trials().get(0).file(TrialFolder.SUMMARY);
        byte[] before = Files.readAllBytes(someSummary);
        var modified = Files.getLastModifiedTime(someSummary);

        SweepResult again = Sweeps.run(file, results());
        assertEquals(0, again.outcomes().size());
        assertEquals(8, again.skipped());
        assertTrue(again.allFinished());
        assertEquals(modified, Files.getLastModifiedTime(someSummary));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(someSummary)));
    }

    @Test
    void resumeRerunsTrialsLeftRunningOrMissingAndKeepsTheOldAttempt() throws Exception {
        Path file = Sweeps.write(tmp, "grid", GRID);
        Sweeps.run(file, results());
        ExperimentFolder folder = new ResultsStore(results()).experiment("grid");
        List<TrialSpec> trials = Sweeps.plan(file).trials();
        // what kill -9 leaves: status RUNNING and a metrics line cut in half
        TrialFolder crashed = folder.trial(trials.get(2).id());
        Files.writeString(crashed.file(TrialFolder.STATUS), TrialStatus.running(999_999, "elsewhere").render());
        Files.writeString(crashed.file(TrialFolder.METRICS), "{\"step\":0,\"name\":\"train/val", StandardCharsets.UTF_8);
        Files.delete(crashed.file(TrialFolder.SUMMARY));
        // a trial that never started
        TrialFolder missing = folder.trial(trials.get(5).id());
        deleteTree(missing.dir());

        SweepResult resumed = Sweeps.run(file, results());
        assertEquals(6, resumed.skipped());
        Set<String> rerun = new HashSet<>();
        resumed.outcomes().forEach(o -> rerun.add(o.spec().id()));
        assertEquals(Set.of(crashed.id(), missing.id()), rerun);
        for (TrialFolder t : folder.trials()) {
            assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
            for (String line : Files.readAllLines(t.file(TrialFolder.METRICS))) {
                Json.MAPPER.readTree(line); // every line is whole JSON
            }
        }
        assertEquals(5, Files.readAllLines(crashed.file(TrialFolder.METRICS)).size());
        Path attempt = folder.dir().resolve(ExperimentFolder.ATTEMPTS).resolve(crashed.id() + ".1");
        assertEquals(TrialState.RUNNING, TrialStatus.read(attempt.resolve(TrialFolder.STATUS)).state());
    }

    @Test
    void resumeStartsTheTrialsWhosePreviousAttemptRanLongestFirstThenTheRestInPlanOrder() throws Exception {
        Path file = Sweeps.write(tmp, "grid", GRID);
        Sweeps.run(file, results());
        ExperimentFolder folder = new ResultsStore(results()).experiment("grid");
        List<TrialSpec> trials = Sweeps.plan(file).trials();
        // three attempts that crashed after running 5 s, 30 s and 10 s (as their config recorded), one never started
        double[] ran = {5, 30, 10};
        int[] crashed = {1, 4, 6};
        for (int i = 0; i < crashed.length; i++) {
            TrialFolder t = folder.trial(trials.get(crashed[i]).id());
            Map<String, Object> config = new java.util.LinkedHashMap<>(Json.readMap(t.file(TrialFolder.CONFIG)));
            config.put("duration_s", ran[i]);
            Json.writeAtomically(t.file(TrialFolder.CONFIG), config);
            Files.writeString(t.file(TrialFolder.STATUS), TrialStatus.running(999_999, "elsewhere").render());
        }
        deleteTree(folder.trial(trials.get(0).id()).dir());

        SweepResult resumed = Sweeps.run(file, results(), RunOptions.defaults().withParallel(1));
        List<String> started = resumed.outcomes().stream().map(o -> o.spec().id()).toList();
        assertEquals(List.of(trials.get(4).id(), trials.get(6).id(), trials.get(1).id(), trials.get(0).id()), started);
        assertTrue(resumed.allFinished());
    }

    @Test
    void aFailingTrialIsRecordedAndTheSweepGoesOn() throws Exception {
        Path file = Sweeps.write(tmp, "modes", """
                task: probe
                sweep: {grid: {mode: [ok, fail, ok], x: [1, 3]}}
                exclude: [{mode: ok, x: 3}]
                """);
        SweepResult result = Sweeps.run(file, results());
        // ok×1, fail×1, fail×3 (the second 'ok' duplicates the first and is dropped)
        assertEquals(3, result.outcomes().size());
        assertEquals(1, result.count(TrialState.FINISHED));
        assertEquals(2, result.count(TrialState.FAILED));
        assertFalse(result.allFinished());
        for (TrialOutcome o : result.outcomes()) {
            if (o.state() == TrialState.FAILED) {
                assertEquals("java.lang.IllegalStateException: probe failed as asked at step 2", o.reason());
                TrialStatus status = new ResultsStore(results()).experiment("modes").trial(o.spec().id()).status().orElseThrow();
                assertEquals(TrialState.FAILED, status.state());
                assertEquals("java.lang.IllegalStateException: probe failed as asked at step 2", status.reason());
                assertTrue(status.stackTrace().startsWith("java.lang.IllegalStateException: probe failed as asked at step 2\n"
                        + "\tat org.ablate.testing.TestPlugin$ProbeTask.run("), status.stackTrace());
                String log = Files.readString(new ResultsStore(results()).experiment("modes").trial(o.spec().id())
                        .file(TrialFolder.LOG));
                assertTrue(log.contains("probe failed as asked"), log);
            }
        }
        // failed trials run again on resume; finished ones do not
        SweepResult again = Sweeps.run(file, results());
        assertEquals(1, again.skipped());
        assertEquals(2, again.outcomes().size());
    }

    @Test
    void parallelTrialsOverlapAndKeepTheirFilesApart() throws Exception {
        Path file = Sweeps.write(tmp, "par", """
                task: probe
                params: {sleep_ms: 150, steps: 3}
                sweep: {grid: {x: [1, 2, 3, 4]}}
                """);
        SweepResult result = Sweeps.run(file, results(), RunOptions.defaults().withParallel(2));
        assertTrue(result.allFinished());
        ExperimentFolder folder = new ResultsStore(results()).experiment("par");
        List<Instant[]> spans = new ArrayList<>();
        for (TrialFolder t : folder.trials()) {
            Map<String, Object> c = t.config();
            spans.add(new Instant[] {Instant.parse((String) c.get("started_at")), Instant.parse((String) c.get("ended_at"))});
            String log = Files.readString(t.file(TrialFolder.LOG));
            assertTrue(log.contains("trial " + t.id() + " started"), log);
            for (TrialFolder other : folder.trials()) {
                if (!other.id().equals(t.id())) {
                    assertFalse(log.contains(other.id()), "log of " + t.id() + " mentions " + other.id());
                }
            }
            assertEquals(3, Files.readAllLines(t.file(TrialFolder.METRICS)).size());
        }
        int maxConcurrent = 0;
        for (Instant[] s : spans) {
            int concurrent = 0;
            for (Instant[] o : spans) {
                if (!o[0].isAfter(s[0]) && o[1].isAfter(s[0])) {
                    concurrent++;
                }
            }
            maxConcurrent = Math.max(maxConcurrent, concurrent);
        }
        assertEquals(2, maxConcurrent);
    }

    @Test
    void aTrialPastItsTimeoutFailsAndTheSweepContinues() throws Exception {
        Path file = Sweeps.write(tmp, "slow", """
                task: probe
                params: {steps: 1000, sleep_ms: 20}
                sweep: {grid: {mode: [slow, ok]}}
                overrides: [{when: {mode: ok}, set: {steps: 2, sleep_ms: 0}}]
                timeout: 300ms
                """);
        SweepResult result = Sweeps.run(file, results());
        assertEquals(1, result.count(TrialState.FINISHED));
        TrialOutcome slow = result.outcomes().stream().filter(o -> o.state() == TrialState.FAILED).findFirst().orElseThrow();
        assertEquals("timed out after 300ms", slow.reason());
        assertTrue(slow.duration().toMillis() < 5_000);
    }

    @Test
    void aTaskIgnoringCancellationIsAbandonedAfterTheGracePeriod() throws Exception {
        Path file = Sweeps.write(tmp, "hang", """
                task: probe
                params: {mode: hang, steps: 2, sleep_ms: 4000}
                """);
        long start = System.nanoTime();
        SweepResult result = Sweeps.run(file, results(), RunOptions.defaults()
                .withTrialTimeout(Duration.ofMillis(200)).withTimeoutGrace(Duration.ofMillis(300)));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < 3_000, "the runner waited " + elapsedMs + " ms for a hung trial");
        TrialOutcome o = result.outcomes().get(0);
        assertEquals(TrialState.FAILED, o.state());
        assertEquals("timed out after 200ms; the task did not stop within 300ms of cancellation", o.reason());
        TrialFolder folder = new ResultsStore(results()).experiment("hang").trial(o.spec().id());
        assertEquals(TrialState.FAILED, folder.status().orElseThrow().state());
        Thread.sleep(4_500); // the hung thread wakes up; its late writes must not change the record
        assertEquals(TrialState.FAILED, folder.status().orElseThrow().state());
        assertEquals(List.of(), Files.readAllLines(folder.file(TrialFolder.METRICS)));
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedDoesNot() throws Exception {
        Path file = Sweeps.write(tmp, "det", "task: probe\nseeds: [3, 4]\n");
        Sweeps.run(file, tmp.resolve("a"));
        Sweeps.run(file, tmp.resolve("b"));
        List<TrialSpec> trials = Sweeps.plan(file).trials();
        Map<String, Object> a3 = new ResultsStore(tmp.resolve("a")).experiment("det").trial(trials.get(0).id()).summary();
        Map<String, Object> b3 = new ResultsStore(tmp.resolve("b")).experiment("det").trial(trials.get(0).id()).summary();
        Map<String, Object> a4 = new ResultsStore(tmp.resolve("a")).experiment("det").trial(trials.get(1).id()).summary();
        assertEquals(a3, b3);
        assertNotEquals(a3.get("result"), a4.get("result"));
    }

    @Test
    void freshMovesEarlierResultsAsideWithoutDeletingThem() throws Exception {
        Path file = Sweeps.write(tmp, "grid", GRID);
        Sweeps.run(file, results());
        SweepResult fresh = Sweeps.run(file, results(), RunOptions.defaults().withFresh(true));
        assertEquals(8, fresh.outcomes().size());
        List<Path> archived;
        try (var list = Files.list(results())) {
            archived = list.filter(p -> p.getFileName().toString().startsWith("grid.archived-")).toList();
        }
        assertEquals(1, archived.size());
        try (var list = Files.list(archived.get(0))) {
            assertEquals(8, list.filter(p -> Files.exists(p.resolve(TrialFolder.SUMMARY))).count());
        }
    }

    @Test
    void aSecondProcessCannotRunTheSameExperimentAtOnce() throws Exception {
        ExperimentFolder folder = new ResultsStore(results()).experiment("grid");
        try (ExperimentFolder.Lock held = folder.lock()) {
            assertNotNull(held);
            ExperimentLockedException e = assertThrows(ExperimentLockedException.class, folder::lock);
            assertEquals("experiment 'grid' is being run by another process (pid " + ProcessHandle.current().pid()
                    + "); wait for it or use another --results-dir", e.getMessage());
        }
        folder.lock().close(); // released
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
