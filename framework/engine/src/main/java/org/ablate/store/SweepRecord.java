package org.ablate.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment's {@code sweep.json}: the latest invocation's plan (what ran, how it was invoked,
 * which trials it planned in which order). {@link #toJson} keeps the field names and order every
 * earlier version wrote; fields this version does not know are kept in {@code unknown}.
 *
 * @param varying   the names of the parameters that vary among the planned trials
 * @param launcher  where the trials ran (a launcher's name), or null in files written before launchers
 * @param resources the per-trial resources requested ({@code cpus}, {@code memory_bytes}, {@code gpus}),
 *                  empty when none were (or in files written before launchers)
 * @param trials    the planned trials, in sweep order
 */
public record SweepRecord(String experiment, String description, String task, String sourceFile, String command,
                          String startedAt, String headline, List<String> varying, String launcher,
                          Map<String, Object> resources, List<PlannedTrial> trials, Map<String, Object> unknown) {

    private static final Set<String> KNOWN = Set.of("experiment", "description", "task", "source_file", "command",
            "started_at", "headline", "varying", "launcher", "resources", "trials");

    /** One planned trial: its id, seed and swept values. */
    public record PlannedTrial(String id, long seed, Map<String, Object> varying) {

        public PlannedTrial {
            varying = RecordFields.copy(varying);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("seed", seed);
            m.put("varying", varying);
            return m;
        }
    }

    public SweepRecord {
        varying = List.copyOf(varying);
        resources = RecordFields.copy(resources);
        trials = List.copyOf(trials);
        unknown = RecordFields.copy(unknown);
    }

    /** What an experiment without a usable sweep.json has: nothing planned, nothing known. */
    public static SweepRecord absent() {
        return new SweepRecord(null, null, null, null, null, null, null, List.of(), null, Map.of(), List.of(), Map.of());
    }

    public List<String> plannedIds() {
        return trials.stream().map(PlannedTrial::id).toList();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("experiment", experiment);
        sweep.put("description", description);
        sweep.put("task", task);
        sweep.put("source_file", sourceFile);
        sweep.put("command", command);
        sweep.put("started_at", startedAt);
        sweep.put("headline", headline);
        sweep.put("varying", varying);
        // absent from files written before launchers, so that those re-encode as they were
        if (launcher != null) {
            sweep.put("launcher", launcher);
            sweep.put("resources", resources);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        trials.forEach(t -> list.add(t.toJson()));
        sweep.put("trials", list);
        sweep.putAll(unknown);
        return sweep;
    }

    /**
     * The plan from a file's JSON object, or a {@link StoreDamage} when {@code trials} is not a list
     * of entries with trial ids (without it the latest invocation is unknown). A planned trial's
     * seed or values of another type read as 0 and none, as the readers before this record took them.
     */
    public static SweepRecord fromJson(Path file, Map<String, Object> json) throws StoreDamage {
        if (!(json.get("trials") instanceof List<?> list) || !list.stream().allMatch(SweepRecord::isEntry)) {
            throw new StoreDamage(file, "'trials' is not a list of {id, seed, varying} with 12-hex-digit ids");
        }
        List<PlannedTrial> trials = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> m = (Map<?, ?>) o;
            trials.add(new PlannedTrial((String) m.get("id"), m.get("seed") instanceof Number n ? n.longValue() : 0,
                    RecordFields.object(m.get("varying"))));
        }
        return new SweepRecord(RecordFields.text(json.get("experiment")), RecordFields.text(json.get("description")),
                RecordFields.text(json.get("task")), RecordFields.text(json.get("source_file")), RecordFields.text(json.get("command")),
                RecordFields.text(json.get("started_at")), json.get("headline") instanceof String h ? h : null,
                RecordFields.texts(json.get("varying")), RecordFields.text(json.get("launcher")),
                RecordFields.object(json.get("resources")), trials, RecordFields.unknown(json, KNOWN));
    }

    private static boolean isEntry(Object o) {
        return o instanceof Map<?, ?> m && m.get("id") instanceof String id && ExperimentFolder.isTrialId(id);
    }

    public static SweepRecord read(Path file) throws IOException {
        return fromJson(file, Json.readObject(file));
    }

    public void write(Path file) throws IOException {
        Json.writeAtomically(file, toJson());
    }
}
