package org.ablate.tracking.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;

/** The run tags Ablate sets: MLflow's reserved ones (shown by its UI) and its own. */
final class Tags {

    static final String RUN_NAME = "mlflow.runName";
    static final String PARENT = "mlflow.parentRunId";
    static final String NOTE = "mlflow.note.content";
    static final String USER = "mlflow.user";
    static final String SOURCE_NAME = "mlflow.source.name";
    static final String SOURCE_TYPE = "mlflow.source.type";
    static final String GIT_COMMIT = "mlflow.source.git.commit";
    static final String ROLE = "ablate.role";
    static final String TRIAL_ID = "ablate.trial_id";
    static final String INVOCATION = "ablate.invocation";
    static final String EXPERIMENT = "ablate.experiment";
    /*
     * Copies of mlflow.parentRunId and mlflow.source.git.commit under Ablate's names: W&B's MLflow
     * importer drops every mlflow.* tag, and these are how a sweep and its code are found there.
     */
    static final String PARENT_COPY = "ablate.parent_run_id";
    static final String GIT_COMMIT_COPY = "ablate.git.commit";

    private Tags() {
    }

    /** Provenance (as recorded in config.json) as tags: commit, dirty flag, runtime, host. */
    static Map<String, String> provenance(Map<String, Object> prov) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (prov.get("git") instanceof Map<?, ?> git) {
            if (git.get("commit") != null) {
                tags.put(GIT_COMMIT, git.get("commit").toString());
                tags.put(GIT_COMMIT_COPY, git.get("commit").toString());
            }
            if (git.get("dirty") != null) {
                tags.put("ablate.git.dirty", git.get("dirty").toString());
            }
        }
        put(tags, "ablate.java_version", prov.get("java_version"));
        put(tags, "ablate.nd4j_backend", prov.get("nd4j_backend"));
        put(tags, "ablate.host", prov.get("host"));
        put(tags, "ablate.os", prov.get("os"));
        put(tags, "ablate.command", prov.get("command"));
        return tags;
    }

    private static void put(Map<String, String> tags, String key, Object value) {
        if (value != null) {
            tags.put(key, value.toString());
        }
    }
}
