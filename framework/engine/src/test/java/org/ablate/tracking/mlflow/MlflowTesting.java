package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.ViewType;

/** Reading a sweep back from a real MLflow server, and comparing it with the results store. */
final class MlflowTesting {

    private MlflowTesting() {
    }

    /** An MLflow experiment name no other test (or earlier run of this one) uses. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static MlflowConnection connect(String uri, String experimentName) {
        return new MlflowConnection(new MlflowSettings(uri, experimentName, null, null, null));
    }

    static MlflowConnection connect(String uri, String experimentName, String user, String password) {
        return new MlflowConnection(new MlflowSettings(uri, experimentName, null, user, password));
    }

    /** Every run of the named experiment (deleted ones included); none when it does not exist. */
    static List<Run> runs(MlflowConnection c, String experimentName) {
        return c.client().getExperimentByName(experimentName)
                .map(e -> c.client().searchRuns(List.of(e.getExperimentId()), "", ViewType.ALL, 1000).getItems())
                .orElse(List.of());
    }

    static Map<String, String> tags(Run run) {
        Map<String, String> m = new TreeMap<>();
        run.getData().getTagsList().forEach(t -> m.put(t.getKey(), t.getValue()));
        return m;
    }

    static Map<String, String> params(Run run) {
        Map<String, String> m = new TreeMap<>();
        run.getData().getParamsList().forEach(p -> m.put(p.getKey(), p.getValue()));
        return m;
    }

    static List<Run> withTag(List<Run> runs, String key, String value) {
        return runs.stream().filter(r -> value.equals(tags(r).get(key))).toList();
    }

    /** The trials' runs by their ablate.trial_id, failing on a trial with more than one run. */
    static Map<String, Run> childrenByTrial(List<Run> runs) {
        Map<String, Run> out = new TreeMap<>();
        for (Run r : withTag(runs, Tags.ROLE, "trial")) {
            String id = tags(r).get(Tags.TRIAL_ID);
            assertNotNull(id, "a trial run without ablate.trial_id: " + r.getInfo().getRunId());
            Run before = out.put(id, r);
            assertTrue(before == null, "trial " + id + " has two runs: " + r.getInfo().getRunId() + " and "
                    + (before == null ? "" : before.getInfo().getRunId()));
        }
        return out;
    }

    /** A point as (key, step, timestamp, value): what MLflow and metrics.jsonl must agree on. */
    record Point(String key, long step, long timestamp, double value) {
        static Point of(Metric m) {
            return new Point(m.getKey(), m.getStep(), m.getTimestamp(), m.getValue());
        }
    }

    private static final Comparator<Point> ORDER = Comparator.comparing(Point::key).thenComparingLong(Point::step)
            .thenComparingLong(Point::timestamp).thenComparingDouble(Point::value);

    /** A value as MLflow must hold it: ±Infinity is sent as NaN (its store would keep ±1.797e308), with its sign in a tag. */
    static double asLogged(double value) {
        return Double.isInfinite(value) ? Double.NaN : value;
    }

    /** metrics.jsonl, by metric name, sorted, values as MLflow must hold them. */
    static Map<String, List<Point>> localHistory(TrialFolder trial) throws IOException {
        Map<String, List<Point>> out = new TreeMap<>();
        if (!Files.exists(trial.file(TrialFolder.METRICS))) {
            return out;
        }
        for (String line : Files.readAllLines(trial.file(TrialFolder.METRICS))) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> m = Json.MAPPER.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            String key = (String) m.get("name");
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(key, ((Number) m.get("step")).longValue(),
                    ((Number) m.get("timestamp")).longValue(), asLogged(Json.toDouble(m.get("value")))));
        }
        out.values().forEach(l -> l.sort(ORDER));
        return out;
    }

    /** A metric's full history in MLflow, sorted (duplicates kept, so that they show). */
    static List<Point> remoteHistory(MlflowConnection c, String runId, String key) {
        List<Point> out = new ArrayList<>(c.client().getMetricHistory(runId, key).stream().map(Point::of).toList());
        out.sort(ORDER);
        return out;
    }

    static long millis(Object isoInstant) {
        return Instant.parse(String.valueOf(isoInstant)).toEpochMilli();
    }

    /**
     * Every artifact path of a run, recursively, as the server's artifact proxy lists them (the
     * Java client lists through the Python CLI, which tests do not have).
     */
    static List<String> artifactPaths(MlflowConnection c, Run run) throws IOException, InterruptedException {
        String uri = run.getInfo().getArtifactUri();
        assertTrue(uri.startsWith("mlflow-artifacts:/"), uri);
        List<String> out = new ArrayList<>();
        collect(c.settings(), uri.substring("mlflow-artifacts:/".length()).replaceAll("^/+", ""), "", out);
        out.sort(null);
        return out;
    }

    private static void collect(MlflowSettings server, String root, String dir, List<String> out)
            throws IOException, InterruptedException {
        String path = dir.isEmpty() ? root : root + "/" + dir;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri()
                + "/api/2.0/mlflow-artifacts/artifacts?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)));
        if (server.authorization() != null) {
            request.header("Authorization", server.authorization());
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Object files = Json.MAPPER.readValue(r.body(), Map.class).get("files");
        if (files == null) {
            return;
        }
        for (Object o : (List<?>) files) {
            Map<?, ?> f = (Map<?, ?>) o;
            String name = dir.isEmpty() ? (String) f.get("path") : dir + "/" + f.get("path");
            if (Boolean.TRUE.equals(f.get("is_dir"))) {
                collect(server, root, name, out);
            } else {
                out.add(name);
            }
        }
    }

    /** The files of a trial that must be its run's artifacts, by artifact path. */
    static Map<String, Path> expectedArtifacts(TrialFolder trial) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        for (String name : List.of(TrialFolder.CONFIG, TrialFolder.SUMMARY, TrialFolder.STATUS, TrialFolder.LOG)) {
            if (Files.isRegularFile(trial.file(name))) {
                out.put(name, trial.file(name));
            }
        }
        Path dir = trial.file(TrialFolder.ARTIFACTS);
        if (Files.isDirectory(dir)) {
            try (var files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(p -> out.put(TrialFolder.ARTIFACTS + "/" + dir.relativize(p), p));
            }
        }
        return out;
    }

    /**
     * Asserts that a trial's run holds exactly what its folder holds: name, parent, identity tags,
     * status, times, params, the full metric history (no point missing, none twice), the summary and
     * the artifacts byte for byte.
     */
    static void assertTrialRun(MlflowConnection c, TrialFolder trial, Run run, String parentRunId)
            throws IOException, InterruptedException {
        Map<String, Object> config = trial.config();
        Map<String, String> tags = tags(run);
        String where = "trial " + trial.id() + " (run " + run.getInfo().getRunId() + ")";
        assertEquals(parentRunId, tags.get(Tags.PARENT), where);
        assertEquals(config.get("name"), tags.get(Tags.RUN_NAME), where);
        assertEquals(config.get("name"), run.getInfo().getRunName(), where);
        assertEquals(trial.id(), tags.get(Tags.TRIAL_ID), where);
        assertEquals("trial", tags.get(Tags.ROLE), where);
        TrialState state = trial.status().map(TrialStatus::state).orElseThrow();
        assertEquals(state == TrialState.FINISHED ? RunStatus.FINISHED : RunStatus.FAILED, run.getInfo().getStatus(), where);
        assertEquals(millis(config.get("started_at")), run.getInfo().getStartTime(), where);
        assertEquals(millis(config.get("ended_at")), run.getInfo().getEndTime(), where);
        if (state != TrialState.FINISHED) {
            assertEquals(trial.status().orElseThrow().reason(), tags.get("ablate.failure"), where);
        }

        // params: the task, the seed and every resolved parameter, as text
        Map<String, String> expectedParams = new TreeMap<>();
        expectedParams.put("task", String.valueOf(config.get("task")));
        expectedParams.put("seed", String.valueOf(config.get("seed")));
        ((Map<?, ?>) config.get("params")).forEach((k, v) -> expectedParams.put(String.valueOf(k),
                v instanceof List<?> ? Json.line(v) : org.ablate.config.Values.format(v)));
        if (config.get("expression_values") instanceof Map<?, ?> values) {
            values.forEach((k, v) -> expectedParams.put(k + ".value", org.ablate.config.Values.format(v)));
        }
        assertEquals(expectedParams, params(run), where);
        assertEquals(parentRunId, tags.get("ablate.parent_run_id"), where + ": the parent link W&B's importer keeps");

        // metrics: each history exactly as in metrics.jsonl, and the summary as summary/<name>
        Map<String, List<Point>> local = localHistory(trial);
        Map<String, Double> latest = new TreeMap<>();
        run.getData().getMetricsList().forEach(m -> latest.put(m.getKey(), m.getValue()));
        Map<String, Object> summary = Files.exists(trial.file(TrialFolder.SUMMARY)) ? trial.summary() : Map.of();
        TreeSet<String> expectedKeys = new TreeSet<>(local.keySet());
        summary.keySet().forEach(k -> expectedKeys.add("summary/" + k));
        assertEquals(expectedKeys, latest.keySet(), where + ": metric keys");
        for (Map.Entry<String, List<Point>> e : local.entrySet()) {
            assertEquals(e.getValue(), remoteHistory(c, run.getInfo().getRunId(), e.getKey()), where + ": history of " + e.getKey());
        }
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            List<Point> remote = remoteHistory(c, run.getInfo().getRunId(), "summary/" + e.getKey());
            assertEquals(1, remote.size(), where + ": summary/" + e.getKey() + " " + remote);
            assertEquals(asLogged(Json.toDouble(e.getValue())), remote.get(0).value(), where + ": summary/" + e.getKey());
        }

        // artifacts: exactly the trial's files, byte for byte
        Map<String, Path> expected = expectedArtifacts(trial);
        assertEquals(new ArrayList<>(expected.keySet()), artifactPaths(c, run), where + ": artifacts");
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            assertArrayEquals(Files.readAllBytes(e.getValue()), c.downloadArtifact(run.getInfo().getArtifactUri(), e.getKey()),
                    where + ": artifact " + e.getKey());
        }
    }

    /** Every trial folder's mlflow.json, by trial id. */
    static Map<String, SyncState> syncStates(ExperimentFolder folder) throws IOException {
        Map<String, SyncState> out = new LinkedHashMap<>();
        for (TrialFolder t : folder.trials()) {
            out.put(t.id(), SyncState.read(t).orElse(null));
        }
        return out;
    }

    static List<String> unsynced(ExperimentFolder folder) throws IOException {
        return syncStates(folder).entrySet().stream().filter(e -> e.getValue() == null || !e.getValue().synced())
                .map(Map.Entry::getKey).collect(Collectors.toList());
    }

    static void assertNoneRunning(List<Run> runs) {
        for (Run r : runs) {
            assertFalse(r.getInfo().getStatus() == RunStatus.RUNNING, "run still RUNNING: " + r.getInfo().getRunName());
        }
    }
}
