package org.ablate.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.tracking.mlflow.MlflowSettings;
import org.ablate.tracking.mlflow.MlflowSync;
import org.ablate.tracking.mlflow.SyncState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Sends to MLflow every ended trial of an experiment that is not fully there yet (the server was "
                + "down, or tracking was off when it ran). Safe to repeat: runs already in MLflow are completed, never duplicated."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything is in MLflow", "1:some trial was refused by the server (see the messages)",
                "2:no such experiment, or no tracking URI configured", "4:a sweep of this experiment is running",
                "5:the server is unreachable or refused the credentials"})
final class SyncCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow server (default: the experiment file's tracking.uri, else $MLFLOW_TRACKING_URI, "
                    + "else the one server its trials were tracked to).")
    String trackingUri;

    @Override
    public Integer call() throws Exception {
        String name = target.name();
        ExperimentFolder folder = target.folder();
        // the copy of the experiment file stored with the results says where it was tracked
        Path stored = folder.dir().resolve("experiment.yaml");
        ExperimentSpec spec = Files.exists(stored) ? ExperimentParser.parse(stored) : null;
        org.ablate.experiment.TrackingSettings file = spec == null ? org.ablate.experiment.TrackingSettings.NONE : spec.tracking();
        // else the server the sweep was tracked to (given as --tracking-uri then), as recorded with its trials
        String uri = trackingUri;
        if ((uri == null || uri.isBlank()) && file.uri() == null && System.getenv("MLFLOW_TRACKING_URI") == null) {
            uri = recordedUri(folder);
        }
        MlflowSettings settings = MlflowSettings.resolve(uri, file, name, System.getenv())
                .orElseThrow(() -> new ConfigException("--tracking-uri", "no MLflow server to sync to: pass --tracking-uri, "
                        + "set MLFLOW_TRACKING_URI, or give the experiment file a tracking.uri"));
        MlflowSync.Result result;
        try (ExperimentFolder.Lock ignored = folder.lock()) {
            result = new MlflowSync(settings).sync(folder, spec == null ? "" : spec.description());
        }
        PrintWriter out = this.spec.commandLine().getOut();
        out.printf("%s: %d trial(s) synced to %s, %d already there, %d not ended (left alone)%s%n", name, result.synced(),
                settings, result.alreadySynced(), result.notEnded(),
                result.failures().isEmpty() ? "" : ", " + result.failures().size() + " refused");
        result.failures().forEach(f -> out.println("  " + f));
        out.flush();
        return result.failures().isEmpty() ? ExitCodes.OK : ExitCodes.TRIALS_FAILED;
    }

    /** The one tracking URI recorded in the trials' mlflow.json, or null when there is none or several. */
    private static String recordedUri(ExperimentFolder folder) throws java.io.IOException {
        java.util.Set<String> uris = new java.util.TreeSet<>();
        for (org.ablate.store.TrialFolder t : folder.trials()) {
            SyncState.read(t).map(SyncState::trackingUri).ifPresent(uris::add);
        }
        return uris.size() == 1 ? uris.iterator().next() : null;
    }
}
