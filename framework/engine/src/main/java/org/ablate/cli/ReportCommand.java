package org.ablate.cli;

import java.util.concurrent.Callable;
import org.ablate.service.ExperimentService;
import org.ablate.service.ReportRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Aggregates an experiment's trials over seeds (mean, std, 95%% CI), checks its claims, draws its plots, "
                + "and writes report.md, CSVs and PNGs into <results>/<experiment>/report/ (and to the sweep's MLflow run "
                + "when tracking is on)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "2:no results, or a bad report/claims section",
                "6:the report could not be written (the report folder is a file, read-only, or the disk is full)"})
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @CommandLine.Mixin
    InvocationScope scope;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Also attach the report to the sweep's MLflow run (default: the file's tracking.uri, else $MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Override
    public Integer call() throws Exception {
        ReportRequest request = new ReportRequest(target.experiment, target.folder(), trackingUri, scope.all);
        new ExperimentService(spec.commandLine().getOut(), spec.commandLine().getErr()).report(request);
        return ExitCodes.OK;
    }
}
