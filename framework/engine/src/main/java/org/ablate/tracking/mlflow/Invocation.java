package org.ablate.tracking.mlflow;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sweep invocation (one `ablate run`, or one `ablate sync` of trials that never had one): the
 * MLflow parent run of its trials. Its id is stored with each trial, so a later sync finds the
 * same parent instead of making another.
 */
public record Invocation(String id, String experiment, String runName, String description, long startedMillis) {

    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    public static Invocation start(String experiment, String description, String kind) {
        long now = System.currentTimeMillis();
        String id = kind + "-" + Instant.ofEpochMilli(now) + "-" + ProcessHandle.current().pid();
        return new Invocation(id, experiment, experiment + " " + NAME_TIME.format(Instant.ofEpochMilli(now))
                + ("run".equals(kind) ? "" : " (" + kind + ")"), description == null ? "" : description, now);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("experiment", experiment);
        m.put("run_name", runName);
        m.put("description", description);
        m.put("started_ms", startedMillis);
        return m;
    }

    static Invocation fromMap(Map<?, ?> m) {
        return new Invocation(String.valueOf(m.get("id")), String.valueOf(m.get("experiment")),
                String.valueOf(m.get("run_name")), String.valueOf(m.get("description")),
                ((Number) m.get("started_ms")).longValue());
    }
}
