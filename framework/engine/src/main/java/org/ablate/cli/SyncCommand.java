package org.ablate.cli;

import java.util.concurrent.Callable;
import org.ablate.service.ExperimentService;
import org.ablate.service.SyncRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        SyncRequest request = new SyncRequest(target.name(), target.folder(), trackingUri);
        ExperimentService.SyncOutcome outcome = new ExperimentService(spec.commandLine().getOut(), spec.commandLine().getErr())
                .sync(request);
        return outcome.result().failures().isEmpty() ? ExitCodes.OK : ExitCodes.TRIALS_FAILED;
    }
}
