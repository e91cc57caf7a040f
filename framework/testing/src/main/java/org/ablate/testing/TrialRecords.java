package org.ablate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/** What a run recorded, read back for assertions: the trials of an experiment and their params, status, summaries and metrics. */
public final class TrialRecords {

    private TrialRecords() {
    }

    /** The experiment's trials under a results root, in the sweep's order. */
    public static List<TrialFolder> trials(Path results, String experiment) throws IOException {
        return new ResultsStore(results).experiment(experiment).trials();
    }

    /** A trial's resolved parameter, as config.json records it. */
    public static Object param(TrialFolder trial, String key) throws IOException {
        return ((Map<?, ?>) trial.config().get("params")).get(key);
    }

    /** The state in the trial's status file; fails if it has none. */
    public static TrialState state(TrialFolder trial) throws IOException {
        return trial.status().orElseThrow(() -> new AssertionError(trial.id() + " has no status")).state();
    }

    /** One summary value; fails naming the trial if the summary lacks it. */
    public static double summary(TrialFolder trial, String key) throws IOException {
        Object v = trial.summary().get(key);
        if (v == null) {
            throw new AssertionError("summary of " + trial.id() + " has no '" + key + "': " + trial.summary());
        }
        return Json.toDouble(v);
    }

    /** The values of one metric from metrics.jsonl, by step. */
    public static Map<Long, Double> metric(TrialFolder trial, String name) throws IOException {
        Map<Long, Double> out = new LinkedHashMap<>();
        for (Map<?, ?> record : metricRecords(trial)) {
            if (name.equals(record.get("name"))) {
                out.put(((Number) record.get("step")).longValue(), Json.toDouble(record.get("value")));
            }
        }
        return out;
    }

    /** The names in metrics.jsonl, in order of first appearance. */
    public static List<String> metricNames(TrialFolder trial) throws IOException {
        List<String> names = new ArrayList<>();
        for (Map<?, ?> record : metricRecords(trial)) {
            String n = (String) record.get("name");
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    /** Every line of metrics.jsonl, parsed. */
    public static List<Map<?, ?>> metricRecords(TrialFolder trial) throws IOException {
        List<Map<?, ?>> records = new ArrayList<>();
        for (String line : Files.readAllLines(trial.file(TrialFolder.METRICS), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                records.add(Json.MAPPER.readValue(line, Map.class));
            }
        }
        return records;
    }

    /**
     * Per trial id: state, seed, params, summary (less the named timing keys) and the metric points
     * without their timestamps — what two launchers running the same sweep must agree on.
     */
    public static Map<String, Object> results(Path results, String experiment, String... timings) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (TrialFolder t : trials(results, experiment)) {
            List<String> points = new ArrayList<>();
            for (Map<?, ?> m : metricRecords(t)) {
                points.add(m.get("step") + " " + m.get("name") + " " + m.get("value"));
            }
            Map<String, Object> summary = new TreeMap<>(t.summary());
            for (String timing : timings) {
                summary.remove(timing);
            }
            out.put(t.id(), List.of(t.status().orElseThrow().state(), t.config().get("seed"), t.config().get("params"),
                    summary, points));
        }
        return out;
    }
}
