package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialState;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Lays a sweep out in MLflow the way a researcher would by hand: one experiment, one parent run
 * per invocation, one child run per trial. Every step finds before it creates (by the
 * {@code ablate.invocation} and {@code ablate.trial_id} tags) and logs values that are identical
 * on a repeat, so running it again completes a half-logged run and never duplicates one.
 */
final class MlflowRuns {

    private final MlflowConnection connection;
    private final Map<String, String> parents = new HashMap<>();
    private String experimentId;

    MlflowRuns(MlflowConnection connection) {
        this.connection = connection;
    }

    MlflowConnection connection() {
        return connection;
    }

    synchronized String experimentId() {
        if (experimentId == null) {
            experimentId = connection.experimentId(connection.settings().experimentName());
        }
        return experimentId;
    }

    /**
     * The invocation's parent run: found by its tag, else created with the experiment file
     * attached and its params logged (what the trials share, {@link ParentRunContent#params}).
     */
    synchronized String parent(Invocation invocation, ExperimentFolder folder, Map<String, Object> provenance,
                               List<Param> params) {
        String known = parents.get(invocation.id());
        if (known != null) {
            return known;
        }
        String experiment = experimentId();
        List<Run> found = connection.findRuns(experiment, Map.of(Tags.INVOCATION, invocation.id(), Tags.ROLE, "sweep"));
        String runId;
        if (!found.isEmpty()) {
            runId = found.get(0).getInfo().getRunId();
        } else {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(Tags.RUN_NAME, invocation.runName());
            tags.put(Tags.NOTE, invocation.description());
            String user = provenance.get("user") == null ? System.getProperty("user.name") : provenance.get("user").toString();
            tags.put(Tags.USER, user);
            tags.put(Tags.SOURCE_TYPE, "LOCAL");
            tags.put(Tags.SOURCE_NAME, "ablate " + invocation.experiment());
            tags.put(Tags.ROLE, "sweep");
            tags.put(Tags.INVOCATION, invocation.id());
            tags.put(Tags.EXPERIMENT, invocation.experiment());
            tags.putAll(Tags.provenance(provenance));
            RunInfo info = create(experiment, invocation.runName(), invocation.startedMillis(), user, tags);
            runId = info.getRunId();
            // on creation only: params cannot change, and a later sync may see more trials than this sweep had
            connection.logBatch(runId, List.of(), params, List.of());
            for (String name : List.of("experiment.yaml", ExperimentFolder.SWEEP)) {
                Path file = folder.dir().resolve(name);
                if (Files.isRegularFile(file)) {
                    connection.uploadArtifact(info.getArtifactUri(), name, file);
                }
            }
        }
        parents.put(invocation.id(), runId);
        return runId;
    }

    /** The trial's run: the one recorded, else one found by its tags, else a new one; params and tags logged. */
    RunInfo trialRun(SyncState state, TrialRunContent content, String parentRunId) {
        RunInfo info = null;
        if (state.runId() != null) {
            info = connection.getRun(state.runId()).filter(r -> r.getInfo().getLifecycleStage().equals("active"))
                    .map(Run::getInfo).orElse(null);
        }
        if (info == null) {
            List<Run> found = connection.findRuns(experimentId(),
                    Map.of(Tags.TRIAL_ID, content.trialId(), Tags.INVOCATION, state.invocation().id()));
            info = found.isEmpty() ? null : found.get(0).getInfo();
        }
        Map<String, String> tags = content.tags();
        tags.put(Tags.PARENT, parentRunId);
        tags.put(Tags.PARENT_COPY, parentRunId);
        tags.put(Tags.INVOCATION, state.invocation().id());
        if (info == null) {
            info = create(experimentId(), content.runName(), content.startMillis(), content.user(), tags);
        }
        List<RunTag> tagList = new ArrayList<>();
        tags.forEach((k, v) -> tagList.add(RunBatches.tag(k, v)));
        connection.logBatch(info.getRunId(), List.of(), content.params(), tagList);
        return info;
    }

    /**
     * Finishes a trial's run from its folder: the history (when replaying), the summary metrics,
     * the artifacts, and the final status with the trial's end time.
     */
    void complete(RunInfo run, TrialRunContent content, boolean replayHistory) throws IOException {
        List<Metric> history = content.history();
        long lastStep = 0;
        for (Metric m : history) {
            lastStep = Math.max(lastStep, m.getStep());
        }
        List<Metric> metrics = new ArrayList<>(replayHistory ? history : List.of());
        metrics.addAll(content.summaryMetrics(lastStep));
        List<RunTag> tags = new ArrayList<>();
        TrialState state = content.state();
        if (state != TrialState.FINISHED) {
            tags.add(RunBatches.tag("ablate.failure", content.failureReason()));
        }
        connection.logBatch(run.getRunId(), metrics, List.of(), tags);
        for (Map.Entry<String, Path> a : content.artifacts().entrySet()) {
            connection.uploadArtifact(run.getArtifactUri(), a.getKey(), a.getValue());
        }
        connection.terminate(run.getRunId(), TrialRunContent.runStatus(state), content.endMillis());
    }

    /** Ends a parent run with its trials' counts by outcome ({@link ParentRunContent#outcome}). */
    void endParent(String runId, RunStatus status, ExperimentFolder folder, String invocationId) throws IOException {
        long now = System.currentTimeMillis();
        connection.logBatch(runId, ParentRunContent.outcome(folder, invocationId, now), List.of(), List.of());
        connection.terminate(runId, status, now);
    }

    Optional<String> knownParent(String invocationId) {
        synchronized (this) {
            return Optional.ofNullable(parents.get(invocationId));
        }
    }

    private RunInfo create(String experiment, String name, long start, String user, Map<String, String> tags) {
        CreateRun.Builder request = CreateRun.newBuilder().setExperimentId(experiment).setRunName(name)
                .setStartTime(start).setUserId(user);
        // CreateRun takes the tags that must exist from the first moment (the parent link, the
        // identity used to find the run again); logBatch repeats them all, within its limits
        for (String key : List.of(Tags.PARENT, Tags.INVOCATION, Tags.TRIAL_ID, Tags.ROLE, Tags.RUN_NAME)) {
            if (tags.containsKey(key)) {
                request.addTags(RunBatches.tag(key, tags.get(key)));
            }
        }
        RunInfo info = connection.createRun(request.build());
        List<RunTag> rest = new ArrayList<>();
        tags.forEach((k, v) -> rest.add(RunBatches.tag(k, v)));
        connection.logBatch(info.getRunId(), List.of(), List.of(), rest);
        return info;
    }
}
