package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `ablate sync`: replays every ended trial that is not fully in MLflow from the results store. A
 * run that already exists (found by the recorded run id, else by its trial id and invocation
 * tags) is completed, never duplicated; metric points MLflow already holds (same key, step,
 * timestamp and value) are ignored by the server, so a replay adds only what was missing.
 */
public final class MlflowSync {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowSync.class);

    /** What a sync did. */
    public record Result(int synced, int alreadySynced, int notEnded, List<String> failures) {
    }

    private final MlflowSettings settings;

    public MlflowSync(MlflowSettings settings) {
        this.settings = settings;
    }

    public Result sync(ExperimentFolder folder, String description) throws IOException {
        int synced = 0;
        int already = 0;
        int notEnded = 0;
        List<String> failures = new ArrayList<>();
        Invocation fresh = null; // the parent for trials that never had one, made on first need
        List<org.mlflow.api.proto.Service.Param> parentParams = null; // what the folder's trials share, read on first need
        try (MlflowConnection connection = new MlflowConnection(settings)) {
            MlflowRuns runs = new MlflowRuns(connection);
            for (TrialFolder trial : folder.trials()) {
                TrialState state = trial.status().map(TrialStatus::state).orElse(null);
                if (state == null || state == TrialState.RUNNING) {
                    notEnded++;
                    continue;
                }
                String damage = trial.read().damage();
                if (damage != null) { // its numbers cannot be read: nothing true to send; a re-run replaces it
                    failures.add(damage + " (not sent; ablate run re-runs the trial)");
                    continue;
                }
                SyncState recorded = SyncState.read(trial).orElse(null);
                if (recorded != null && !settings.uri().equals(recorded.trackingUri())) {
                    // recorded against another server: its run ids mean nothing here, so the trial is
                    // sent again (found before created, so a repeat never duplicates); its parent stays
                    // the invocation it ran in. Written once this server has the run, so that a failed
                    // attempt leaves the record of the other server as it was.
                    recorded = new SyncState(settings.uri(), recorded.invocation(), null, null, null, false, "not sent yet");
                }
                if (recorded != null && recorded.synced()) {
                    already++;
                    continue;
                }
                if (recorded == null) {
                    if (fresh == null) {
                        fresh = Invocation.start(folder.name(), description, "sync");
                    }
                    recorded = new SyncState(settings.uri(), fresh, null, null, null, false, "not sent yet");
                    recorded.write(trial); // before any request: a retry finds the same parent and run
                }
                try {
                    TrialRunContent content = TrialRunContent.read(trial);
                    if (parentParams == null) {
                        parentParams = ParentRunContent.params(String.valueOf(content.task()), ParentRunContent.trialParams(folder));
                    }
                    String parent = runs.parent(recorded.invocation(), folder, provenance(trial), parentParams);
                    RunInfo run = runs.trialRun(recorded, content, parent);
                    recorded = recorded.withRuns(runs.experimentId(), parent, run.getRunId());
                    recorded.failed("incomplete").write(trial);
                    runs.complete(run, content, true);
                    recorded.done().write(trial);
                    synced++;
                } catch (TrackingException e) {
                    if (e.kind() != TrackingException.Kind.REJECTED) {
                        throw e; // down or unauthorised: every other trial would fail the same way
                    }
                    failures.add(trial.id() + ": " + e.getMessage());
                    recorded.failed(e.getMessage()).write(trial);
                    LOG.warn("trial {}: {}", trial.id(), e.getMessage());
                }
            }
            // a parent on this server left RUNNING (made by this sync, or by a sweep that lost the
            // server before its end, even once all its trials were in) is closed now, by the same
            // rule as a sweep's: KILLED if one of its trials was interrupted, FAILED if one failed,
            // else FINISHED. No sweep is running: this sync holds the experiment's lock.
            Map<String, String> parents = new LinkedHashMap<>(); // parent run id -> invocation id
            for (TrialFolder trial : folder.trials()) {
                SyncState.read(trial).filter(s -> s.parentRunId() != null && settings.uri().equals(s.trackingUri()))
                        .ifPresent(s -> parents.putIfAbsent(s.parentRunId(), s.invocation().id()));
            }
            for (Map.Entry<String, String> parent : parents.entrySet()) {
                RunStatus status = parentStatus(folder, parent.getValue());
                if (connection.getRun(parent.getKey()).filter(r -> r.getInfo().getStatus() == RunStatus.RUNNING).isPresent()) {
                    runs.endParent(parent.getKey(), status, folder, parent.getValue());
                }
            }
        }
        return new Result(synced, already, notEnded, failures);
    }

    /** The end status of an invocation's parent run, from the ended trials recorded with it. */
    private static RunStatus parentStatus(ExperimentFolder folder, String invocationId) throws IOException {
        boolean failed = false;
        for (TrialFolder trial : folder.trials()) {
            if (SyncState.read(trial).filter(s -> s.invocation().id().equals(invocationId)).isEmpty()) {
                continue;
            }
            TrialState state = trial.status().map(TrialStatus::state).orElse(null);
            if (state == TrialState.INTERRUPTED || state == TrialState.RUNNING) {
                return RunStatus.KILLED; // RUNNING under the lock: its sweep died (kill -9, a crash)
            }
            failed |= state == TrialState.FAILED;
        }
        return failed ? RunStatus.FAILED : RunStatus.FINISHED;
    }

    private static Map<String, Object> provenance(TrialFolder trial) throws IOException {
        return trial.readConfig().provenance();
    }
}
