package org.ablate.experiment;

import java.util.Optional;
import org.ablate.tracking.TrackingUri;

/**
 * The experiment file's {@code tracking:} section: where the sweep is mirrored (an MLflow
 * tracking URI) and under which MLflow experiment name. Either may be null: the command line and
 * the MLFLOW_TRACKING_URI / MLFLOW_EXPERIMENT_NAME variables fill the gaps.
 */
public record TrackingSettings(String uri, String experiment) {

    public static final TrackingSettings NONE = new TrackingSettings(null, null);

    /**
     * What is wrong with a {@code tracking.uri} in an experiment file, as a one-line message that
     * never repeats a secret. Credentials are refused there rather than redacted: the file is
     * copied into the results as experiment.yaml and is usually committed.
     */
    public static Optional<String> uriProblem(String uri) {
        Optional<String> problem = TrackingUri.problem(uri);
        if (problem.isPresent()) {
            return problem;
        }
        if (TrackingUri.parse(uri).hasCredentials()) {
            return Optional.of("tracking URI '" + TrackingUri.parse(uri) + "' holds credentials, which an experiment file "
                    + "must not (it is copied into the results); set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, "
                    + "or MLFLOW_TRACKING_TOKEN, or give the URI with --tracking-uri");
        }
        return Optional.empty();
    }
}
