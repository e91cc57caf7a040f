package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;

/**
 * A trial's standing with MLflow, in {@code mlflow.json} beside its results: the invocation it
 * belongs to, the runs made for it so far, and whether everything reached the server. Written
 * (atomically) before the first request, so a crash or an outage leaves {@code synced: false}.
 */
public record SyncState(String trackingUri, Invocation invocation, String experimentId, String parentRunId,
                        String runId, boolean synced, String error) {

    public static final String FILE = "mlflow.json";

    public static Optional<SyncState> read(TrialFolder folder) {
        Path file = folder.file(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> m = Json.readMap(file);
            return Optional.of(new SyncState((String) m.get("tracking_uri"), Invocation.fromMap((Map<?, ?>) m.get("invocation")),
                    (String) m.get("experiment_id"), (String) m.get("parent_run_id"), (String) m.get("run_id"),
                    Boolean.TRUE.equals(m.get("synced")), (String) m.get("error")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // treated as never synced; a sync rewrites it
        }
    }

    public static boolean isSynced(TrialFolder folder) {
        return read(folder).map(SyncState::synced).orElse(false);
    }

    public void write(TrialFolder folder) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tracking_uri", trackingUri);
        m.put("invocation", invocation.toMap());
        m.put("experiment_id", experimentId);
        m.put("parent_run_id", parentRunId);
        m.put("run_id", runId);
        m.put("synced", synced);
        m.put("error", error);
        Json.writeAtomically(folder.file(FILE), m);
    }

    SyncState withRuns(String experimentId, String parentRunId, String runId) {
        return new SyncState(trackingUri, invocation, experimentId, parentRunId, runId, synced, error);
    }

    SyncState done() {
        return new SyncState(trackingUri, invocation, experimentId, parentRunId, runId, true, null);
    }

    SyncState failed(String why) {
        return new SyncState(trackingUri, invocation, experimentId, parentRunId, runId, false, why);
    }
}
