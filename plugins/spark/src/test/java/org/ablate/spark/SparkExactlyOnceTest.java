package org.ablate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once trials on Spark (local mode, real child JVMs): every task attempt writes a staged
 * folder, the driver commits one; an attempt lost to a signal is retried by Spark, a trial's own
 * failure is not; a duplicate attempt never commits twice.
 */
class SparkExactlyOnceTest {

    @TempDir
    Path tmp;

    @Test
    void firstAttemptsKilledBySigkillAreRetriedCommittedOnceAndMirroredAsOneMlflowRunEach() throws Exception {
        lostFirstAttemptsAreRetriedAndCommittedOnce(false);
    }

    /**
     * With the results returned by the tasks, a lost attempt's folder never reaches the driver: nothing
     * of it is archived, and MLflow, mirroring at commit, never made a run for it.
     */
    @Test
    void withReturnedResultsAttemptsLostToSigkillAreRetriedCommittedOnceAndMirroredOnceAtCommit() throws Exception {
        lostFirstAttemptsAreRetriedAndCommittedOnce(true);
    }

    private void lostFirstAttemptsAreRetriedAndCommittedOnce(boolean returned) throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = "spark-lost-" + Long.toHexString(System.nanoTime());
        Path file = write("lost", """
                name: lost
                task: lost-first-attempt
                params: {steps: 20, sleep_ms: 150, lost_dir: '%s'}
                sweep: {grid: {lose: [true, false]}}
                seeds: [1, 2]
                tracking: {experiment: %s}
                """.formatted(Files.createDirectories(tmp.resolve("lost-attempts")), mlflowName));
        Path results = tmp.resolve("results");
        // local[2,2]: Spark's local mode retries a failed task once (spark.task.maxFailures = 2)
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report",
                "-j", "2", "--launcher", "spark", "launcher.master=local[2,2]", "--tracking-uri", uri,
                "launcher.results=" + (returned ? "returned" : "shared"));
        assertEquals(0, r.code(), r.toString());
        assertEquals("lost: 4 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                r.summaryLine("lost").replaceAll(" -> .*", ""));

        ExperimentFolder folder = new ResultsStore(results).experiment("lost");
        List<TrialFolder> trials = folder.trials();
        assertEquals(4, trials.size());
        List<String> lost = new ArrayList<>();
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
            List<Object> steps = TrialRecords.metricRecords(t).stream().map(m -> (Object) m.get("step")).toList();
            assertEquals(20, steps.size(), "each point once, from the committed attempt only: " + t.id());
            assertEquals(List.copyOf(new java.util.TreeSet<>(steps.stream().map(s -> ((Number) s).intValue()).toList())).size(),
                    20, t.id());
            if (Boolean.TRUE.equals(TrialRecords.param(t, "lose"))) {
                lost.add(t.id());
            }
        }
        assertEquals(2, lost.size());
        // each lost trial's first attempt really ran and was killed (wherever it wrote its folder)
        try (Stream<Path> marks = Files.list(tmp.resolve("lost-attempts"))) {
            assertEquals(lost.stream().sorted().toList(),
                    marks.map(p -> p.getFileName().toString().replaceAll("\\..*", "")).sorted().toList());
        }
        // the lost attempts are kept aside (cut off RUNNING mid-trial), never committed
        Map<String, TrialState> archived = new TreeMap<>();
        if (returned) {
            assertFalse(Files.exists(results.resolve("lost/" + ExperimentFolder.ATTEMPTS)), "a lost attempt reached the driver");
        } else try (Stream<Path> attempts = Files.list(results.resolve("lost/" + ExperimentFolder.ATTEMPTS))) {
            for (Path a : attempts.toList()) {
                archived.put(a.getFileName().toString(), TrialStatus.read(a.resolve(TrialFolder.STATUS)).state());
            }
        }
        Map<String, TrialState> expected = new TreeMap<>();
        if (!returned) {
            lost.forEach(id -> expected.put(id + ".1", TrialState.RUNNING));
        }
        assertEquals(expected, archived);
        assertNothingStaged(results.resolve("lost"));

        // one MLflow run per trial, read back through the REST API: the lost attempt's run was withdrawn
        HttpClient http = HttpClient.newHttpClient();
        JsonNode experiment = get(http, uri + "/api/2.0/mlflow/experiments/get-by-name?experiment_name="
                + URLEncoder.encode(mlflowName, StandardCharsets.UTF_8));
        String experimentId = experiment.path("experiment").path("experiment_id").asText();
        JsonNode search = post(http, uri + "/api/2.0/mlflow/runs/search",
                "{\"experiment_ids\": [\"" + experimentId + "\"], \"run_view_type\": \"ACTIVE_ONLY\", \"max_results\": 100}");
        Map<String, Integer> runsPerTrial = new TreeMap<>();
        Map<String, String> runOfTrial = new TreeMap<>();
        for (JsonNode run : search.path("runs")) {
            Map<String, String> tags = new TreeMap<>();
            run.path("data").path("tags").forEach(tag -> tags.put(tag.path("key").asText(), tag.path("value").asText()));
            if ("trial".equals(tags.get("ablate.role"))) {
                runsPerTrial.merge(tags.get("ablate.trial_id"), 1, Integer::sum);
                runOfTrial.put(tags.get("ablate.trial_id"), run.path("info").path("run_id").asText());
                assertEquals("FINISHED", run.path("info").path("status").asText(), tags.toString());
            }
        }
        Map<String, Integer> once = new TreeMap<>();
        trials.forEach(t -> once.put(t.id(), 1));
        assertEquals(once, runsPerTrial, "exactly one active MLflow run per trial");
        // a lost attempt's run, if the mirror had made one, is withdrawn (deleted) once; no other run is
        JsonNode deleted = post(http, uri + "/api/2.0/mlflow/runs/search",
                "{\"experiment_ids\": [\"" + experimentId + "\"], \"run_view_type\": \"DELETED_ONLY\", \"max_results\": 100}");
        for (JsonNode run : deleted.path("runs")) {
            String trial = "";
            for (JsonNode tag : run.path("data").path("tags")) {
                if (tag.path("key").asText().equals("ablate.trial_id")) {
                    trial = tag.path("value").asText();
                }
            }
            assertFalse(returned, "mirrored at commit, yet a run was withdrawn: " + trial);
            assertTrue(lost.remove(trial), "a withdrawn run that is not one lost attempt's: " + trial);
        }
        for (TrialFolder t : trials) {
            JsonNode history = get(http, uri + "/api/2.0/mlflow/metrics/get-history?run_id=" + runOfTrial.get(t.id())
                    + "&metric_key=" + URLEncoder.encode("train/value", StandardCharsets.UTF_8));
            assertEquals(20, history.path("metrics").size(), "the committed attempt's points, once: " + t.id());
        }
    }

    @Test
    void aLostAttemptWithNoRetryLeftEndsFailedWithTheReasonNeverRunning() throws Exception {
        Path file = write("lost", """
                name: lost
                task: lost-first-attempt
                params: {steps: 6, sleep_ms: 100, lose: true}
                """);
        Path results = tmp.resolve("results");
        // local[1]: no retry (spark.task.maxFailures = 1)
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report",
                "--launcher", "spark", "launcher.master=local[1]");
        assertEquals(1, r.code(), r.toString());
        List<TrialFolder> trials = TrialRecords.trials(results, "lost");
        assertEquals(1, trials.size());
        TrialStatus status = trials.get(0).status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertTrue(status.reason().startsWith("the trial's Spark job failed: "), status.reason());
        assertTrue(status.reason().contains("lost: the trial's process exited with code 137 (killed: SIGKILL"), status.reason());
        assertNothingStaged(results.resolve("lost"));
    }

    @Test
    void aTrialsOwnFailureIsNotRetriedAndADuplicateAttemptOfACommittedTrialCannotCommitAgain() throws Exception {
        Path file = write("own", """
                name: own
                task: lost-first-attempt
                params: {steps: 6, sleep_ms: 50}
                sweep: {grid: {fail: [false, true]}}
                """);
        Path results = tmp.resolve("results");
        // retries allowed (spark.task.maxFailures = 3), yet the trial that fails by itself runs once
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report",
                "--launcher", "spark", "launcher.master=local[1,3]");
        assertEquals(1, r.code(), r.toString());
        List<TrialFolder> trials = TrialRecords.trials(results, "own");
        assertEquals(2, trials.size());
        TrialFolder committed = null;
        for (TrialFolder t : trials) {
            TrialStatus s = t.status().orElseThrow();
            if (Boolean.TRUE.equals(TrialRecords.param(t, "fail"))) {
                assertEquals(TrialState.FAILED, s.state());
                assertTrue(s.reason().contains("failed by itself at step 3"), s.reason());
            } else {
                assertEquals(TrialState.FINISHED, s.state());
                committed = t;
            }
        }
        assertFalse(Files.exists(results.resolve("own/" + ExperimentFolder.ATTEMPTS)), "no trial ran a second attempt");

        byte[] status = Files.readAllBytes(committed.file(TrialFolder.STATUS));
        byte[] config = Files.readAllBytes(committed.file(TrialFolder.CONFIG));

        // what a speculative or re-queued copy of the task would run once the trial is committed
        InProcessCli.Result duplicate = InProcessCli.run("run-trial", file.toString(), "--trial", committed.id(),
                "--results-dir", results.toString(), "--attempt", "0.0.1");
        assertEquals(9, duplicate.code(), duplicate.toString());
        assertTrue(duplicate.err().contains("is already committed FINISHED"), duplicate.err());
        assertEquals(new String(status, StandardCharsets.UTF_8), Files.readString(committed.file(TrialFolder.STATUS)));
        assertEquals(new String(config, StandardCharsets.UTF_8), Files.readString(committed.file(TrialFolder.CONFIG)));
        assertNothingStaged(results.resolve("own"));
        assertFalse(Files.exists(results.resolve("own/" + ExperimentFolder.ATTEMPTS)), "the duplicate wrote nothing");
    }

    private static void assertNothingStaged(Path experiment) throws IOException {
        Path staging = experiment.resolve(ExperimentFolder.STAGING);
        if (Files.isDirectory(staging)) {
            try (Stream<Path> left = Files.list(staging)) {
                assertEquals(List.of(), left.toList(), "nothing left staged");
            }
        }
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode post(HttpClient http, String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body());
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
