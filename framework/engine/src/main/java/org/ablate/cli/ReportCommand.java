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
import org.ablate.report.ExperimentResults;
import org.ablate.report.TrialResult;
import org.ablate.report.Report;
import org.ablate.report.ReportWriter;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.StoreException;
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
        Loaded loaded = load(target);
        PrintWriter out = spec.commandLine().getOut();
        write(loaded.spec(), loaded.folder(), trackingUri, scope.all, out, spec.commandLine().getErr());
        return ExitCodes.OK;
    }

    static final String REPORT_NOT_WRITTEN = "report not written: ";

    /** The experiment file (as given, or experiments/NAME.yaml, else the copy stored with the results) and its folder. */
    record Loaded(ExperimentSpec spec, ExperimentFolder folder) {
    }

    static Loaded load(ExperimentArgument target) {
        String argument = target.experiment;
        ExperimentFolder folder = target.folder();
        if (!Files.exists(folder.dir().resolve(ExperimentFolder.SWEEP)) && noTrials(folder)) {
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

    /** Without sweep.json the trial folders still make a report (every one of them, with a warning). */
    private static boolean noTrials(ExperimentFolder folder) {
        try {
            return folder.trials().isEmpty();
        } catch (java.io.IOException e) {
            throw new org.ablate.store.StoreException("cannot list " + folder.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Builds and writes the report, attaches it to MLflow when tracking is configured, prints a summary. */
    static Report write(ExperimentSpec experiment, ExperimentFolder folder, String trackingUri, PrintWriter out) throws Exception {
        return write(experiment, folder, trackingUri, false, out, out);
    }

    /** @param all every trial in the folder, not only the latest invocation's */
    static Report write(ExperimentSpec experiment, ExperimentFolder folder, String trackingUri, boolean all, PrintWriter out,
                        PrintWriter err) throws Exception {
        Report report;
        try {
            report = Report.build(experiment, folder, all);
        } catch (java.io.IOException e) {
            throw notRead(folder, e);
        }
        warnDamage(report.results(), err);
        List<Path> files;
        try {
            files = ReportWriter.write(report, folder.dir());
        } catch (java.io.IOException e) {
            throw new StoreException(REPORT_NOT_WRITTEN + describe(e), e);
        }
        out.println("report: " + files.get(0));
        printScope(report.results(), out);
        report.notes().forEach(out::println);
        printClaims(report, out);
        Optional<MlflowSettings> settings = MlflowSettings.resolve(trackingUri, experiment.tracking(), experiment.name(), System.getenv());
        if (settings.isPresent()) {
            try {
                ReportUpload.upload(settings.get(), folder, report, files).ifPresentOrElse(
                        run -> out.println("report attached to MLflow run " + run),
                        () -> out.println("report not attached to MLflow: no tracked sweep of this experiment"));
            } catch (TrackingException e) {
                out.println("report not attached to MLflow: " + e.getMessage());
            }
        }
        out.flush();
        return report;
    }

    /** One warning line per damaged file (sweep.json, a trial's), naming it and what is wrong. */
    static void warnDamage(ExperimentResults results, PrintWriter err) {
        if (results.sweepDamage() != null) {
            err.println("ablate: warning: " + results.sweepDamage());
        }
        for (TrialResult t : results.damaged()) {
            err.println("ablate: warning: " + t.damage() + "; trial " + t.id() + " left out of every number (ablate run re-runs it)");
        }
        err.flush();
    }

    /** Which trials the numbers cover, when not simply every trial, and how many were skipped as damaged. */
    static void printScope(ExperimentResults results, PrintWriter out) {
        if (!results.scopeNote().isEmpty()) {
            out.println(results.scopeNote());
        }
        if (!results.damaged().isEmpty()) {
            out.println(results.damaged().size() + " trial(s) skipped as damaged (named above); the claims they belong to "
                    + "say so, and a PASS among them is INCONCLUSIVE until ablate run re-runs them");
        }
    }

    /** The results folder could not be read (a damaged or unreadable file): one line naming the folder. */
    static StoreException notRead(ExperimentFolder folder, java.io.IOException e) {
        String reason = describe(e);
        return new StoreException("results in " + folder.dir() + " not read: " + reason, e);
    }

    /** "report exists and is not a folder", "permission denied", "No space left on device", in one line. */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }

    static void printClaims(Report report, PrintWriter out) {
        for (ClaimResult c : report.claims()) {
            out.printf("  %-12s %s: %s (paper: %s)%n", c.verdict(), c.claim().name(), c.measuredSummary(),
                    c.claim().paper() == null ? "-" : c.claim().paper());
        }
    }
}
