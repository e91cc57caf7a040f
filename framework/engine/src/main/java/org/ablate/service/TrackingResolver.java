package org.ablate.service;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.TrackingSettings;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialFolder;
import org.ablate.tracking.mlflow.MlflowSettings;
import org.ablate.tracking.mlflow.SyncState;

/**
 * Where an experiment is mirrored, decided in one place for run, report and sync:
 * {@code --tracking-uri} &gt; the file's {@code tracking.uri} &gt; {@code $MLFLOW_TRACKING_URI}
 * (and for sync, last, the one server the trials were tracked to).
 */
public final class TrackingResolver {

    private final Map<String, String> env;

    public TrackingResolver(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * The MLflow settings in force for {@code experiment}, or empty when no URI is configured.
     *
     * @param commandLineUri {@code --tracking-uri}, or null
     * @throws ConfigException for an unusable URI, naming the option, key or variable it came from
     */
    public Optional<MlflowSettings> resolve(String commandLineUri, ExperimentSpec experiment) {
        return resolve(commandLineUri, experiment.tracking(), experiment.name());
    }

    private Optional<MlflowSettings> resolve(String commandLineUri, TrackingSettings file, String experimentName) {
        try {
            return MlflowSettings.resolve(commandLineUri, file, experimentName, env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--tracking-uri", e.getMessage());
        }
    }

    /**
     * The server to sync {@code folder} to: as {@link #resolve}, then the one server its trials'
     * mlflow.json record (they were tracked with --tracking-uri then).
     *
     * @param stored the experiment file stored with the results, or null when there is none
     * @throws ConfigException when no server is named anywhere
     */
    public MlflowSettings forSync(String commandLineUri, ExperimentSpec stored, String experimentName, ExperimentFolder folder)
            throws IOException {
        TrackingSettings file = stored == null ? TrackingSettings.NONE : stored.tracking();
        String uri = commandLineUri;
        if ((uri == null || uri.isBlank()) && file.uri() == null && env.get("MLFLOW_TRACKING_URI") == null) {
            uri = recordedUri(folder);
        }
        return resolve(uri, file, experimentName)
                .orElseThrow(() -> new ConfigException("--tracking-uri", "no MLflow server to sync to: pass --tracking-uri, "
                        + "set MLFLOW_TRACKING_URI, or give the experiment file a tracking.uri"));
    }

    /** The one tracking URI recorded in the trials' mlflow.json, or null when there is none or several. */
    private static String recordedUri(ExperimentFolder folder) throws IOException {
        Set<String> uris = new TreeSet<>();
        for (TrialFolder t : folder.trials()) {
            SyncState.read(t).map(SyncState::trackingUri).ifPresent(uris::add);
        }
        return uris.size() == 1 ? uris.iterator().next() : null;
    }
}
