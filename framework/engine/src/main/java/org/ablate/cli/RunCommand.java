package org.ablate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ablate.config.Values;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.run.RunOptions;
import org.ablate.service.ExperimentService;
import org.ablate.service.RunRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs an experiment's sweep, skipping trials that already FINISHED.",
                "Overrides: key=value fixes a parameter, key=[a,b] or key=a,b sweeps it (Hydra's choice(), range(), glob() too); "
                        + "seed=, seeds=, repeats=, timeout= "
                        + "change the run settings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every trial FINISHED", "1:some trial FAILED or was INTERRUPTED",
                "2:bad experiment file, override or option", "3:a plugin failed to load",
                "4:another process is running this experiment",
                "5:the MLflow server refused the credentials",
                "6:the results store or the report cannot be written (read-only, full disk)", "130:interrupted (Ctrl-C)",
                "143:terminated (SIGTERM)"})
final class RunCommand implements Callable<Integer> {

    /** How progress is shown. */
    enum Progress { auto, bar, log }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "An experiment .yaml file, or the name of one in experiments/.")
    String experiment;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Overrides, Hydra style.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check the file (report section included) and print the expanded trial list (id, parameters); run nothing.")
    boolean dryRun;

    @Option(names = "--no-report", description = "Skip the report (report.md, CSVs, plots) at the end of the sweep.")
    boolean noReport;

    @Option(names = "--fresh", description = "Start over: move earlier results aside (never deleted) instead of resuming.")
    boolean fresh;

    @Option(names = {"-j", "--parallel"}, defaultValue = "1", paramLabel = "N", description = "Trials run at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "" + SweepExpander.DEFAULT_MAX_TRIALS,
            description = "Refuse a sweep of more trials than this, before anything is written (default: ${DEFAULT-VALUE}).")
    long maxTrials;

    @Option(names = "--trial-timeout", paramLabel = "DURATION", description = "Per-trial time limit, e.g. 90s, 10m (overrides the file's 'timeout').")
    String trialTimeout;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "${env:ABLATE_RESULTS:-results}",
            description = "Results store root (default: $ABLATE_RESULTS or ./results).")
    Path resultsDir;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Mirror the sweep to this MLflow server (default: the file's tracking.uri, else $MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Option(names = "--launcher", paramLabel = "NAME",
            description = "Where trials run: in-process (threads of this JVM, the default) or process (a child JVM per trial);"
                    + " launcher.KEY=VALUE sets its options (default: the file's 'launcher:').")
    String launcher;

    @Option(names = "--detach", description = "Submit the trials to the launcher's scheduler and exit (launchers that"
            + " support it: slurm); `ablate status` shows them, `ablate run` again attaches (same as launcher.detach=true).")
    boolean detach;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
            description = "bar, log (periodic lines) or auto (a bar on a terminal): ${COMPLETION-CANDIDATES}.")
    Progress progress;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel must be at least 1, got " + parallel);
        }
        if (maxTrials < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-trials must be at least 1, got " + maxTrials);
        }
        ResultsRoot.check(resultsDir);
        RunOptions options = RunOptions.defaults().withParallel(parallel).withFresh(fresh)
                .withDisplay(progress == Progress.bar || (progress == Progress.auto && Terminal.isInteractive())
                        ? RunOptions.Display.BAR : RunOptions.Display.LOG_LINES);
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String invocation = org.ablate.provenance.Provenance.command("ablate run", args.subList(1, args.size()));
        List<String> withDetach = new ArrayList<>(overrides);
        if (detach) {
            // a launcher option, so that a launcher that cannot detach refuses it like any unknown option
            withDetach.add(org.ablate.run.LaunchChoice.DETACH_OVERRIDE);
        }
        RunRequest request = new RunRequest(experiment, withDetach, maxTrials, trialTimeout, trackingUri, options, noReport,
                resultsDir, invocation, launcher, AblateCli.class.getName());
        PrintWriter out = spec.commandLine().getOut();
        ExperimentService service = new ExperimentService(out, spec.commandLine().getErr());
        ExperimentService.PlannedRun planned = service.plan(request);
        if (dryRun) {
            printPlan(planned.plan(), out);
            return ExitCodes.OK;
        }
        ExperimentService.RunOutcome outcome = service.run(planned);
        // a missing report is not a success a script may take for one; the trials stay recorded,
        // and `ablate report` makes it again once the cause is fixed
        if (outcome.reportNotWritten() != null) {
            spec.commandLine().getErr().println("ablate: " + outcome.reportNotWritten().message());
            spec.commandLine().getErr().flush();
            return outcome.reportNotWritten().badInput() ? ExitCodes.BAD_INPUT : ExitCodes.STORE;
        }
        return outcome.sweep().allFinished() ? ExitCodes.OK : ExitCodes.TRIALS_FAILED;
    }

    static void printPlan(SweepPlan plan, PrintWriter out) {
        ExperimentSpec e = plan.experiment();
        out.printf("experiment %s: task %s, %d trial(s) = %d configuration(s) x %d seed(s)%s%n", e.name(),
                plan.task().name(), plan.trials().size(), plan.configurations(), e.seeding().seeds().size(),
                plan.duplicatesDropped() > 0 ? " (" + plan.duplicatesDropped() + " duplicate configuration(s) dropped)" : "");
        List<String> fixed = new ArrayList<>();
        plan.trials().get(0).params().asMap().forEach((k, v) -> {
            if (!plan.varyingKeys().contains(k)) {
                fixed.add(k + "=" + Values.format(v));
            }
        });
        if (!fixed.isEmpty()) {
            out.println("fixed: " + String.join(" ", fixed));
        }
        List<String> header = new ArrayList<>(List.of("#", "ID", "SEED"));
        header.addAll(plan.varyingKeys());
        TextTable table = new TextTable(header);
        for (TrialSpec t : plan.trials()) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(t.index() + 1), t.id(), Long.toString(t.seed())));
            plan.varyingKeys().forEach(k -> row.add(Values.format(t.varying().get(k))));
            table.add(row);
        }
        out.print(table.render());
        out.flush();
    }
}
