package org.ablate.experiment;

/**
 * The experiment file's {@code tracking:} section: where the sweep is mirrored (an MLflow
 * tracking URI) and under which MLflow experiment name. Either may be null: the command line and
 * the MLFLOW_TRACKING_URI / MLFLOW_EXPERIMENT_NAME variables fill the gaps.
 */
public record TrackingSettings(String uri, String experiment) {

    public static final TrackingSettings NONE = new TrackingSettings(null, null);
}
