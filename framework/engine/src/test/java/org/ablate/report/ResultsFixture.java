package org.ablate.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;

/**
 * A results folder written by hand in the store's formats (sweep.json, and per trial config.json,
 * status, summary.json), as SweepRunner and TrialRecorder write them.
 */
final class ResultsFixture {

    private final ResultsStore store;
    private final String name;
    private final List<String> varying;
    private final List<Map<String, Object>> sweepTrials = new ArrayList<>();
    private int counter;

    ResultsFixture(Path root, String name, String... varying) {
        this.store = new ResultsStore(root);
        this.name = name;
        this.varying = List.of(varying);
    }

    ExperimentFolder folder() {
        return store.experiment(name);
    }

    /** Lists a trial in sweep.json and writes its folder; a null state leaves it unstarted (no folder). */
    String trial(Map<String, Object> values, long seed, TrialState state, Map<String, Object> summary) throws IOException {
        String id = String.format("%012x", 0xabc000L + counter++);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("seed", seed);
        entry.put("varying", values);
        sweepTrials.add(entry);
        if (state != null) {
            writeTrial(id, values, seed, state, summary);
        }
        return id;
    }

    /** A trial folder not listed in sweep.json (left by an earlier sweep of the same name). */
    void strayTrial(Map<String, Object> values, long seed, Map<String, Object> summary) throws IOException {
        writeTrial("fffffffff" + String.format("%03d", counter++), values, seed, TrialState.FINISHED, summary);
    }

    private void writeTrial(String id, Map<String, Object> values, long seed, TrialState state, Map<String, Object> summary)
            throws IOException {
        TrialFolder t = folder().trial(id);
        Files.createDirectories(t.dir());
        Map<String, Object> params = new LinkedHashMap<>(values);
        params.put("n", 10L);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("trial_id", id);
        config.put("experiment", name);
        config.put("task", "probe");
        config.put("seed", seed);
        config.put("params", params);
        config.put("varying", values);
        config.put("started_at", "2024-01-01T00:00:00Z");
        config.put("ended_at", null);
        if (state != TrialState.RUNNING) {
            config.put("state", state.name());
        }
        Json.writeAtomically(t.file(TrialFolder.CONFIG), config);
        if (state == TrialState.FINISHED) {
            Json.writeAtomically(t.file(TrialFolder.SUMMARY), summary);
        }
        TrialStatus status = switch (state) {
            case RUNNING -> TrialStatus.running(1, "host");
            case FINISHED -> TrialStatus.finished();
            default -> TrialStatus.ended(state, "it " + state.name().toLowerCase(java.util.Locale.ROOT), "");
        };
        Files.writeString(t.file(TrialFolder.STATUS), status.render());
    }

    /** Appends metric points (step, value pairs) to a trial's metrics.jsonl, as TrialMetricsWriter writes them. */
    void history(String id, String metric, double... stepValue) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < stepValue.length; i += 2) {
            b.append(Json.line(values("step", (long) stepValue[i], "name", metric, "value", stepValue[i + 1], "timestamp", 0L)))
                    .append('\n');
        }
        Files.writeString(folder().trial(id).file(TrialFolder.METRICS), b.toString(),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    void writeSweep() throws IOException {
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("experiment", name);
        sweep.put("task", "probe");
        sweep.put("command", "ablate run " + name + ".yaml");
        sweep.put("started_at", "2024-01-01T00:00:00Z");
        sweep.put("varying", varying);
        sweep.put("trials", sweepTrials);
        Files.createDirectories(folder().dir());
        Json.writeAtomically(folder().dir().resolve(ExperimentFolder.SWEEP), sweep);
    }

    static Map<String, Object> values(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
