package org.ablate.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.report.ClaimResult;
import org.ablate.report.Report;
import org.ablate.report.ReportWriter;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.tracking.mlflow.MlflowSettings;
import org.ablate.tracking.mlflow.ReportUpload;
import org.ablate.tracking.mlflow.TrackingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Aggregates an experiment's trials over seeds (mean, std, 95%% CI), checks its claims, draws its plots, "
                + "and writes report.md, CSVs and PNGs into <results>/<experiment>/report/ (and to the sweep's MLflow run "
                + "when tracking is on)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:report written", "2:no results, or a bad report/claims section"})
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentArgument target;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Also attach the report to the sweep's MLflow run (default: the file's tracking.uri, else $MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Override
    public Integer call() throws Exception {
        Loaded loaded = load(target);
        PrintWriter out = spec.commandLine().getOut();
        write(loaded.spec(), loaded.folder(), trackingUri, out);
        return ExitCodes.OK;
    }

    /** The experiment file (as given, or experiments/NAME.yaml, else the copy stored with the results) and its folder. */
    record Loaded(ExperimentSpec spec, ExperimentFolder folder) {
    }

    static Loaded load(ExperimentArgument target) {
        String argument = target.experiment;
        ExperimentFolder folder = target.folder();
        if (!Files.exists(folder.dir().resolve(ExperimentFolder.SWEEP))) {
            throw new ConfigException(argument, "no results for experiment '" + target.name() + "' in " + target.resultsDir
                    + " (run it first: ablate run <file>.yaml)");
        }
        ExperimentSpec parsed;
        try {
            parsed = ExperimentParser.parse(ExperimentLocator.locate(argument));
        } catch (ConfigException notFound) {
            Path stored = folder.dir().resolve("experiment.yaml");
            if (!Files.exists(stored)) {
                throw notFound;
            }
            parsed = ExperimentParser.parse(stored);
        }
        return new Loaded(parsed, folder);
    }

    /** Builds and writes the report, attaches it to MLflow when tracking is configured, prints a summary. */
    static Report write(ExperimentSpec experiment, ExperimentFolder folder, String trackingUri, PrintWriter out) throws Exception {
        Report report = Report.build(experiment, folder);
        List<Path> files = ReportWriter.write(report, folder.dir());
        out.println("report: " + files.get(0));
        printClaims(report, out);
        Optional<MlflowSettings> settings = MlflowSettings.resolve(trackingUri, experiment.tracking(), experiment.name(), System.getenv());
        if (settings.isPresent()) {
            try {
                ReportUpload.upload(settings.get(), folder, files).ifPresentOrElse(
                        run -> out.println("report attached to MLflow run " + run),
                        () -> out.println("report not attached to MLflow: no tracked sweep of this experiment"));
            } catch (TrackingException e) {
                out.println("report not attached to MLflow: " + e.getMessage());
            }
        }
        out.flush();
        return report;
    }

    static void printClaims(Report report, PrintWriter out) {
        for (ClaimResult c : report.claims()) {
            out.printf("  %-12s %s: %s (paper: %s)%n", c.verdict(), c.claim().name(), c.measuredSummary(),
                    c.claim().paper() == null ? "-" : c.claim().paper());
        }
    }
}
