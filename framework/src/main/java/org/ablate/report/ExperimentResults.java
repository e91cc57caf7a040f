package org.ablate.report;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;

/**
 * The trials of an experiment's latest sweep (the ids in sweep.json, in sweep order), read from
 * the results store, and the swept parameter names. A trial that never started has a null state
 * and only its swept values as parameters. Trials of earlier sweeps of the same name
 * are left out: their fixed parameters may differ.
 */
public record ExperimentResults(String experiment, List<String> varying, List<TrialResult> trials, int planned,
                                Map<String, Object> sweep) {

    public static ExperimentResults read(ExperimentFolder folder) throws IOException {
        var sweepFile = folder.dir().resolve(ExperimentFolder.SWEEP);
        if (!Files.exists(sweepFile)) {
            throw new IOException("no " + ExperimentFolder.SWEEP + " in " + folder.dir() + ": the experiment never ran");
        }
        Map<String, Object> sweep = Json.readMap(sweepFile);
        List<String> varying = new ArrayList<>();
        if (sweep.get("varying") instanceof List<?> v) {
            v.forEach(k -> varying.add(String.valueOf(k)));
        }
        List<TrialResult> trials = new ArrayList<>();
        int planned = 0;
        if (sweep.get("trials") instanceof List<?> list) {
            for (Object o : list) {
                planned++;
                String id = String.valueOf(((Map<?, ?>) o).get("id"));
                TrialFolder t = folder.trial(id);
                if (!Files.exists(t.file(TrialFolder.CONFIG))) {
                    // not started: still a configuration of the sweep (with no numbers yet)
                    @SuppressWarnings("unchecked")
                    Map<String, Object> varying0 = ((Map<?, ?>) o).get("varying") instanceof Map<?, ?> m
                            ? (Map<String, Object>) m : Map.of();
                    Object seed = ((Map<?, ?>) o).get("seed");
                    trials.add(new TrialResult(id, seed instanceof Number n ? n.longValue() : 0, varying0, null, Map.of(), t));
                    continue;
                }
                Map<String, Object> config = t.config();
                @SuppressWarnings("unchecked")
                Map<String, Object> params = config.get("params") instanceof Map<?, ?> m
                        ? (Map<String, Object>) m : Map.of();
                TrialState state = t.status().map(TrialStatus::state).orElse(TrialState.RUNNING);
                Map<String, Double> summary = new LinkedHashMap<>();
                if (state == TrialState.FINISHED && Files.exists(t.file(TrialFolder.SUMMARY))) {
                    t.summary().forEach((k, v) -> summary.put(k, Json.toDouble(v)));
                }
                trials.add(new TrialResult(id, ((Number) config.get("seed")).longValue(), params, state, summary, t));
            }
        }
        return new ExperimentResults(folder.name(), varying, trials, planned, sweep);
    }

    public List<TrialResult> finished() {
        return trials.stream().filter(t -> t.state() == TrialState.FINISHED).toList();
    }
}
