package org.ablate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.plugin.PluginRuntime;
import org.ablate.run.SingleTrialRun;
import org.ablate.run.TrialOutcome;
import org.ablate.store.Json;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.service.ExperimentLocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ablate run-trial}: runs one trial of an experiment's plan into its folder, for a launcher
 * (the process launcher's child, a cluster task). Hidden: the launching process holds the
 * experiment's lock and records what this process could not.
 */
@Command(name = "run-trial", hidden = true, mixinStandardHelpOptions = true,
        description = "Runs one trial of an experiment (used by launchers; the caller holds the experiment's lock).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the trial FINISHED", "1:the trial FAILED or was INTERRUPTED",
                "2:bad experiment file, override or option", "3:a plugin failed to load",
                "8:the trial id is not in the experiment's plan",
                "9:--attempt: the trial is already committed FINISHED (nothing run or written)"})
final class RunTrialCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "An experiment .yaml file, or the name of one in experiments/.")
    String experiment;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "The sweep's overrides, as given to `ablate run`.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--trial", required = true, paramLabel = "ID", description = "The trial's id (12 hex digits).")
    String trial;

    @Option(names = "--attempt", paramLabel = "ATTEMPT",
            description = "Write into <experiment>/.staging/<ID>/<ATTEMPT>/ for the launcher to commit, instead of"
                    + " <experiment>/<ID>/ (a token of letters, digits, '.', '_', '-' chosen by the launcher).")
    String attempt;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "${env:ABLATE_RESULTS:-results}",
            description = "Results store root (default: $ABLATE_RESULTS or ./results).")
    Path resultsDir;

    @Option(names = "--max-trials", paramLabel = "N", defaultValue = "" + SweepExpander.DEFAULT_MAX_TRIALS,
            description = "The sweep's limit, as given to `ablate run`.")
    long maxTrials;

    @Option(names = "--provenance", paramLabel = "FILE", description = "The sweep's provenance (JSON), copied into config.json.")
    Path provenance;

    @Override
    public Integer call() throws Exception {
        if (attempt != null && !ExperimentFolder.isAttemptToken(attempt)) {
            throw new ConfigException("--attempt", "'" + attempt + "' is not an attempt token (accepted: 1 to 64 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit)");
        }
        Path file = ExperimentLocator.locate(experiment);
        PluginRuntime engine = PluginRuntime.start();
        if (org.ablate.provenance.Nd4jBackend.cudaOnClasspath()) {
            // ND4J started here, not on the task's first use: its stack trace for a CUDA backend that
            // cannot run stays out of the trial's output (the parent said why, once)
            org.ablate.provenance.Nd4jBackend.loaded();
        }
        // the sweep section is read by this engine's sweepers, as the parent's plan was
        ExperimentSpec parsed = CommandLineOverrides.apply(ExperimentParser.parse(file, engine::registry), overrides);
        SweepPlan plan = new SweepExpander(engine.registry()).expand(parsed, maxTrials);
        TrialSpec one = SingleTrialRun.find(plan, trial).orElse(null);
        if (one == null) {
            spec.commandLine().getErr().println("ablate: error: --trial " + trial + ": no such trial in the plan of "
                    + file + " (" + plan.trials().size() + " trials; `ablate run " + experiment
                    + " --dry-run` lists their ids)");
            spec.commandLine().getErr().flush();
            return ExitCodes.UNKNOWN_TRIAL;
        }
        ResultsStore store = new ResultsStore(resultsDir);
        if (attempt != null) {
            TrialFolder committed = store.experiment(plan.experiment().name()).trial(trial);
            if (committed.isFinished()) {
                // a duplicate (speculative, re-queued, retried after a lost reply): the trial must not run twice
                spec.commandLine().getErr().println("ablate: trial " + trial + " is already committed FINISHED in "
                        + committed.dir() + "; attempt " + attempt + " not run");
                spec.commandLine().getErr().flush();
                return ExitCodes.ALREADY_COMMITTED;
            }
        }
        Map<String, Object> recorded = provenance == null
                ? org.ablate.provenance.Provenance.collect(file.toAbsolutePath().getParent(), engine.plugins())
                : readProvenance(provenance);
        TrialOutcome outcome = SingleTrialRun.run(plan, one, engine, store, recorded, attempt);
        return outcome.state() == TrialState.FINISHED ? ExitCodes.OK : ExitCodes.TRIALS_FAILED;
    }

    private static Map<String, Object> readProvenance(Path file) {
        try {
            return Json.readMap(file);
        } catch (java.io.IOException e) {
            throw new ConfigException("--provenance", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
