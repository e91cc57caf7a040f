package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ablate.report.Report;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialFolder;
import org.mlflow.api.proto.Service.Run;

/** Attaches a report (its files, claims and means) to the MLflow parent run of the experiment's latest tracked sweep. */
public final class ReportUpload {

    private ReportUpload() {
    }

    /**
     * Uploads the files under {@code report/} and logs the claims' verdicts and the headline's means
     * on the run ({@link ParentRunContent}); returns the parent run's id, or empty when no sweep was tracked.
     */
    public static Optional<String> upload(MlflowSettings settings, ExperimentFolder folder, Report report, List<Path> files)
            throws IOException {
        SyncState latest = null;
        for (TrialFolder t : folder.trials()) {
            SyncState s = SyncState.read(t).orElse(null);
            if (s != null && s.parentRunId() != null
                    && (latest == null || s.invocation().startedMillis() > latest.invocation().startedMillis())) {
                latest = s;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        try (MlflowConnection connection = new MlflowConnection(settings)) {
            Optional<Run> parent = connection.getRun(latest.parentRunId());
            if (parent.isEmpty()) {
                return Optional.empty();
            }
            for (Path f : files) {
                connection.uploadArtifact(parent.get().getInfo().getArtifactUri(), "report/" + f.getFileName(), f);
            }
            connection.logBatch(latest.parentRunId(), ParentRunContent.headlineMeans(report, System.currentTimeMillis()),
                    List.of(), ParentRunContent.claims(report));
            return Optional.of(latest.parentRunId());
        }
    }
}
