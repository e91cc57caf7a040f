package org.ablate.service;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.ablate.config.ConfigException;
import org.ablate.config.Durations;
import org.ablate.config.Origin;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.HeadlineCheck;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.SweepPlan;
import org.ablate.plugin.PluginRuntime;
import org.ablate.report.ClaimResult;
import org.ablate.report.ExperimentResults;
import org.ablate.report.FileSweep;
import org.ablate.report.Report;
import org.ablate.report.ReportPlanCheck;
import org.ablate.report.ReportWriter;
import org.ablate.report.TrialResult;
import org.ablate.run.LaunchChoice;
import org.ablate.run.RunOptions;
import org.ablate.run.SweepResult;
import org.ablate.run.SweepRunner;
import org.ablate.run.TrialCommands;
import org.ablate.run.TrialOutcome;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.StoreException;
import org.ablate.store.TrialState;
import org.ablate.tracking.mlflow.MlflowSettings;
import org.ablate.tracking.mlflow.MlflowSync;
import org.ablate.tracking.mlflow.MlflowTracker;
import org.ablate.tracking.mlflow.ReportUpload;
import org.ablate.tracking.mlflow.TrackingException;

/**
 * Runs, reports and syncs an experiment: finds and reads its file, decides where it is tracked,
 * opens its results, plans and runs its sweep. The CLI commands and the framework benchmark call
 * this; what an operation prints for the user goes to {@code out} (warnings to {@code err}).
 */
public final class ExperimentService {

    /** How a report that could not be made is introduced (after a run, and by {@code ablate report}). */
    public static final String REPORT_NOT_WRITTEN = "report not written: ";

    private final Supplier<PluginRuntime> engine;
    private final TrackingResolver tracking;
    private final PrintWriter out;
    private final PrintWriter err;

    /** A service that starts the plugin engine when a run first needs it (after the file is checked). */
    public ExperimentService(PrintWriter out, PrintWriter err) {
        this(new Lazy<>(PluginRuntime::start), System.getenv(), out, err);
    }

    /**
     * A service over an engine already started (the benchmark times the start itself).
     *
     * @param env the environment the tracking settings are read from (MLFLOW_TRACKING_URI and the rest)
     */
    public ExperimentService(PluginRuntime engine, Map<String, String> env, PrintWriter out, PrintWriter err) {
        this(() -> engine, env, out, err);
    }

    private ExperimentService(Supplier<PluginRuntime> engine, Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.engine = engine;
        this.tracking = new TrackingResolver(env);
        this.out = out;
        this.err = err;
    }

    /** A sweep checked and ready to run: the file as written (its report section is read against it) and the plan. */
    public record PlannedRun(RunRequest request, ExperimentSpec asWritten, SweepPlan plan, RunOptions options) {
    }

    /**
     * @param sweep            what the sweep did
     * @param reportNotWritten why the report after it was not written, or null (written, or not due)
     */
    public record RunOutcome(SweepResult sweep, ReportNotWritten reportNotWritten) {
    }

    /**
     * @param message  one line, starting with {@link #REPORT_NOT_WRITTEN}
     * @param badInput the report section does not fit the results (else the store could not be written)
     */
    public record ReportNotWritten(String message, boolean badInput) {
    }

    /** What a sync did, and the server it went to. */
    public record SyncOutcome(MlflowSync.Result result, MlflowSettings settings) {
    }

    /** The experiment file (as given, or experiments/NAME.yaml, else the copy stored with the results) and its folder. */
    public record LoadedExperiment(ExperimentSpec spec, ExperimentFolder folder) {
    }

    /**
     * Reads the experiment file, applies the overrides, expands and checks the sweep (the report
     * section and the headline included): everything a run or a dry run refuses before a trial starts.
     */
    public PlannedRun plan(RunRequest request) {
        Path file = ExperimentLocator.locate(request.experiment());
        // the report section is written against the file's own sweep, which the overrides may narrow
        // its sweep section is read by the sweepers of the engine that runs it (started when there is one)
        ExperimentSpec asWritten = ExperimentParser.parse(file, () -> engine.get().registry());
        // launcher.KEY=VALUE are the launcher's options, not the plan's
        List<String> planOverrides = LaunchChoice.planOverrides(request.overrides());
        ExperimentSpec parsed = CommandLineOverrides.apply(asWritten, planOverrides);
        SweepPlan plan = new SweepExpander(engine.get().registry()).expand(parsed, request.maxTrials());
        // a bad report/claims section stops the run (and fails the dry run) before any trial starts
        ReportPlanCheck.check(parsed.report(), plan, FileSweep.of(asWritten));
        HeadlineCheck.check(plan);
        LaunchChoice launch = LaunchChoice.resolve(engine.get().registry(), parsed.launch(), request.launcher(),
                LaunchChoice.commandLineOptions(request.overrides()));
        launch.check(parsed.launch().resources());
        // parsed before a dry run returns: a dry run that passes must not hide a bad option
        String given = request.trialTimeout();
        Duration timeout = given == null ? null
                : Durations.parse(given, Origin.commandLine("--trial-timeout=" + given, "--trial-timeout"));
        RunOptions options = request.options().withLauncher(launch).withCommands(new TrialCommands(request.entryPoint(),
                file, planOverrides, request.maxTrials(), request.resultsDir(), null));
        if (timeout != null) {
            options = options.withTrialTimeout(timeout);
        }
        return new PlannedRun(request, asWritten, plan, options);
    }

    /** Runs the planned sweep into the results store, prints what became of it, then writes the report. */
    public RunOutcome run(PlannedRun planned) throws IOException, InterruptedException {
        RunRequest request = planned.request();
        SweepPlan plan = planned.plan();
        RunOptions options = planned.options();
        Optional<MlflowSettings> mlflow = tracking.resolve(request.trackingUri(), plan.experiment());
        if (mlflow.isPresent()) {
            options = options.withTracking(MlflowTracker.factory(mlflow.get()));
        }
        SweepResult result = new SweepRunner(new ResultsStore(request.resultsDir()), engine.get())
                .run(plan, options, request.invocation());
        out.printf("%s: %d finished, %d failed, %d interrupted, %d skipped (already finished) -> %s%n",
                plan.experiment().name(), result.count(TrialState.FINISHED), result.count(TrialState.FAILED),
                result.count(TrialState.INTERRUPTED), result.skipped(), result.folder());
        for (TrialOutcome o : result.outcomes()) {
            if (o.state() != TrialState.FINISHED) {
                out.printf("  %s %s (%s): %s%n", o.spec().id(), o.state(), o.spec().displayName(), o.reason());
            }
        }
        out.flush();
        ReportNotWritten notWritten = null;
        // interrupted: the JVM is shutting down, and a report begun now would be cut off and leave
        // temporary files (the hook has said to run the command again, which ends with the report)
        if (!result.interrupted() && !request.noReport() && result.count(TrialState.FINISHED) + result.skipped() > 0) {
            ExperimentFolder folder = new ResultsStore(request.resultsDir()).experiment(plan.experiment().name());
            try {
                writeReport(planned.asWritten(), folder, request.trackingUri(), false, out);
            } catch (ConfigException e) {
                notWritten = notWritten(e.getMessage(), true);
            } catch (StoreException e) {
                notWritten = notWritten(e.getMessage(), false);
            } catch (IOException e) {
                notWritten = notWritten(describe(e), false);
            }
        }
        return new RunOutcome(result, notWritten);
    }

    private static ReportNotWritten notWritten(String message, boolean badInput) {
        return new ReportNotWritten(message.startsWith(REPORT_NOT_WRITTEN) ? message : REPORT_NOT_WRITTEN + message, badInput);
    }

    /** Makes the report of an experiment's results (and attaches it to MLflow when tracking is configured). */
    public Report report(ReportRequest request) throws IOException {
        LoadedExperiment loaded = load(request.experiment(), request.folder());
        return writeReport(loaded.spec(), loaded.folder(), request.trackingUri(), request.all(), err);
    }

    /** Sends the experiment's ended trials to MLflow, holding its lock; prints what was sent. */
    public SyncOutcome sync(SyncRequest request) throws IOException {
        ExperimentFolder folder = request.folder();
        // the copy of the experiment file stored with the results says where it was tracked
        Path stored = folder.dir().resolve("experiment.yaml");
        ExperimentSpec spec = Files.exists(stored) ? ExperimentParser.parse(stored) : null;
        MlflowSettings settings = tracking.forSync(request.trackingUri(), spec, request.experimentName(), folder);
        MlflowSync.Result result;
        try (ExperimentFolder.Lock ignored = folder.lock()) {
            result = new MlflowSync(settings).sync(folder, spec == null ? "" : spec.description());
        }
        out.printf("%s: %d trial(s) synced to %s, %d already there, %d not ended (left alone)%s%n", request.experimentName(),
                result.synced(), settings, result.alreadySynced(), result.notEnded(),
                result.failures().isEmpty() ? "" : ", " + result.failures().size() + " refused");
        result.failures().forEach(f -> out.println("  " + f));
        out.flush();
        return new SyncOutcome(result, settings);
    }

    /**
     * The experiment file of a results folder: the argument as a file or a name in experiments/,
     * else the copy stored with the results.
     *
     * @throws ConfigException when the folder holds no results, or no file can be read
     */
    public LoadedExperiment load(String argument, ExperimentFolder folder) {
        if (!Files.exists(folder.dir().resolve(ExperimentFolder.SWEEP)) && noTrials(folder)) {
            throw new ConfigException(argument, "no results for experiment '" + folder.name() + "' in " + folder.dir().getParent()
                    + " (run it first: ablate run <file>.yaml)");
        }
        Path file;
        try {
            file = ExperimentLocator.locate(argument);
        } catch (ConfigException notFound) {
            file = folder.dir().resolve("experiment.yaml");
            if (!Files.exists(file)) {
                throw notFound;
            }
        }
        // a file that is there but wrong (its report section included) is refused, not replaced by the stored copy
        return new LoadedExperiment(ExperimentParser.parse(file), folder);
    }

    /** Without sweep.json the trial folders still make a report (every one of them, with a warning). */
    private static boolean noTrials(ExperimentFolder folder) {
        try {
            return folder.trials().isEmpty();
        } catch (IOException e) {
            throw new StoreException("cannot list " + folder.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Builds and writes the report, attaches it to MLflow when tracking is configured, prints a summary. */
    private Report writeReport(ExperimentSpec experiment, ExperimentFolder folder, String trackingUri, boolean all,
                               PrintWriter warnings) throws IOException {
        Report report;
        try {
            report = Report.build(experiment, folder, all);
        } catch (IOException e) {
            throw notRead(folder, e);
        }
        warnDamage(report.results(), warnings);
        List<Path> files;
        try {
            files = ReportWriter.write(report, folder.dir());
        } catch (IOException e) {
            throw new StoreException(REPORT_NOT_WRITTEN + describe(e), e);
        }
        out.println("report: " + files.get(0));
        printScope(report.results(), out);
        report.notes().forEach(out::println);
        printClaims(report, out);
        Optional<MlflowSettings> settings = tracking.resolve(trackingUri, experiment);
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
    public static void warnDamage(ExperimentResults results, PrintWriter err) {
        if (results.sweepDamage() != null) {
            err.println("ablate: warning: " + results.sweepDamage());
        }
        for (TrialResult t : results.damaged()) {
            err.println("ablate: warning: " + t.damage() + "; trial " + t.id() + " left out of every number (ablate run re-runs it)");
        }
        err.flush();
    }

    /** Which trials the numbers cover, when not simply every trial, and how many were skipped as damaged. */
    public static void printScope(ExperimentResults results, PrintWriter out) {
        if (!results.scopeNote().isEmpty()) {
            out.println(results.scopeNote());
        }
        if (!results.damaged().isEmpty()) {
            out.println(results.damaged().size() + " trial(s) skipped as damaged (named above); the claims they belong to "
                    + "say so, and a PASS among them is INCONCLUSIVE until ablate run re-runs them");
        }
    }

    /** The results folder could not be read (a damaged or unreadable file): one line naming the folder. */
    public static StoreException notRead(ExperimentFolder folder, IOException e) {
        return new StoreException("results in " + folder.dir() + " not read: " + describe(e), e);
    }

    /** "report exists and is not a folder", "permission denied", "No space left on device", in one line. */
    static String describe(IOException e) {
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

    private static void printClaims(Report report, PrintWriter out) {
        for (ClaimResult c : report.claims()) {
            out.printf("  %-12s %s: %s (paper: %s)%n", c.verdict(), c.claim().name(), c.measuredSummary(),
                    c.claim().paper() == null ? "-" : c.claim().paper());
        }
    }

    /** Computes its value once, on first use (the engine: plugin discovery and Guice). */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }
}
