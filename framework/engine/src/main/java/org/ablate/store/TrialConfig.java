package org.ablate.store;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A trial's {@code config.json}: who the trial is, what it ran with, where and when. Written when
 * the trial starts ({@code ended_at} null) and again when it ends (with {@code duration_s} and
 * {@code state}); {@link #toJson} keeps the field names and order every earlier version wrote, so
 * files stay byte-for-byte what they were. Fields this version does not know are kept in
 * {@code unknown} and written back after the known ones.
 *
 * @param trialId          the trial id (null in a file without one)
 * @param params           every resolved parameter, as JSON typed it
 * @param expressionValues a formula parameter's value by key; written only when there is one
 * @param varying          the swept parameters' values
 * @param provenance       how and where the sweep ran (git, machine, plugins, command)
 * @param endedAt          null until the trial ends
 * @param durationSeconds  null until the trial ends
 * @param state            the recorded end (a {@link TrialState} name); null until the trial ends
 */
public record TrialConfig(String trialId, String experiment, String task, long seed, Map<String, Object> params,
                          Map<String, Object> expressionValues, Map<String, Object> varying, String name,
                          Map<String, Object> provenance, String startedAt, String endedAt, Double durationSeconds,
                          String state, Map<String, Object> unknown) {

    private static final Set<String> KNOWN = Set.of("trial_id", "experiment", "task", "seed", "params", "expression_values",
            "varying", "name", "provenance", "started_at", "ended_at", "duration_s", "state");

    public TrialConfig {
        params = RecordFields.copy(params);
        expressionValues = RecordFields.copy(expressionValues);
        varying = RecordFields.copy(varying);
        provenance = RecordFields.copy(provenance);
        unknown = RecordFields.copy(unknown);
    }

    /** The config of a trial that has just started. */
    public static TrialConfig started(String trialId, String experiment, String task, long seed, Map<String, Object> params,
                                      Map<String, ? extends Number> expressionValues, Map<String, Object> varying, String name,
                                      Map<String, Object> provenance, String startedAt) {
        return new TrialConfig(trialId, experiment, task, seed, params, RecordFields.copy(expressionValues), varying, name,
                provenance, startedAt,
                null, null, null, Map.of());
    }

    /** This config with the trial's end recorded. */
    public TrialConfig ended(String endedAt, double durationSeconds, TrialState state) {
        return new TrialConfig(trialId, experiment, task, seed, params, expressionValues, varying, name, provenance, startedAt,
                endedAt, durationSeconds, state.name(), unknown);
    }

    /** The display name, else the trial id (an early file may have none). */
    public String displayName() {
        return name != null ? name : trialId;
    }

    /** The JSON object as written: the fields in the order every version wrote them, then the unknown ones. */
    public Map<String, Object> toJson() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trial_id", trialId);
        c.put("experiment", experiment);
        c.put("task", task);
        c.put("seed", seed);
        c.put("params", params);
        if (!expressionValues.isEmpty()) {
            c.put("expression_values", expressionValues);
        }
        c.put("varying", varying);
        c.put("name", name);
        c.put("provenance", provenance);
        c.put("started_at", startedAt);
        c.put("ended_at", endedAt);
        if (durationSeconds != null) {
            c.put("duration_s", durationSeconds);
        }
        if (state != null) {
            c.put("state", state);
        }
        c.putAll(unknown);
        return c;
    }

    /**
     * The config from a file's JSON object, or a {@link StoreDamage} naming what makes it unusable:
     * no 64-bit integer seed, a {@code trial_id} that is not {@code folderId} (when given), params
     * that are not an object. Other fields of an unexpected type read as absent.
     */
    public static TrialConfig fromJson(Path file, Map<String, Object> json, String folderId) throws StoreDamage {
        Object seed = json.get("seed");
        if (seed == null) {
            throw new StoreDamage(file, "no 'seed' field");
        }
        if (!(seed instanceof Long || seed instanceof Integer) || seed instanceof BigInteger) {
            throw new StoreDamage(file, "'seed' is " + Json.line(seed) + ", expected a 64-bit integer");
        }
        Object id = json.get("trial_id");
        if (folderId != null && id != null && !folderId.equals(id)) {
            throw new StoreDamage(file, "it belongs to trial " + Json.line(id) + ", not to folder " + folderId
                    + " (copied from another trial?)");
        }
        if (json.containsKey("params") && !(json.get("params") instanceof Map<?, ?>)) {
            throw new StoreDamage(file, "'params' is " + Json.line(json.get("params")) + ", expected an object");
        }
        return new TrialConfig(RecordFields.text(id), RecordFields.text(json.get("experiment")), RecordFields.text(json.get("task")),
                ((Number) seed).longValue(), RecordFields.object(json.get("params")), RecordFields.object(json.get("expression_values")),
                RecordFields.object(json.get("varying")), RecordFields.text(json.get("name")),
                RecordFields.object(json.get("provenance")), RecordFields.text(json.get("started_at")),
                RecordFields.text(json.get("ended_at")),
                json.get("duration_s") instanceof Number d ? d.doubleValue() : null, RecordFields.text(json.get("state")),
                RecordFields.unknown(json, KNOWN));
    }

    /** Reads {@code file}; see {@link #fromJson} for what is damage. */
    public static TrialConfig read(Path file, String folderId) throws IOException {
        return fromJson(file, Json.readObject(file), folderId);
    }

    public void write(Path file) throws IOException {
        Json.writeAtomically(file, toJson());
    }
}
