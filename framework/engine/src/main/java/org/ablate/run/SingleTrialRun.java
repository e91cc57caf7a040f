package org.ablate.run;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.plugin.PluginRuntime;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.tracking.Tracker;

/**
 * One trial of a sweep run in this process on behalf of a launcher ({@code ablate run-trial}): the
 * same execution as in-process (folder, config, metrics, summary, status last), plus a progress file
 * the launching process follows. With an attempt token it writes a staged attempt instead of the
 * trial's folder, which the launching process commits ({@link org.ablate.store.TrialCommit}). The launcher holds the experiment's lock and enforces the timeout;
 * this process stops the trial (INTERRUPTED) on SIGINT/SIGTERM and when its parent dies, so an
 * orphan never writes into a folder that a later sweep owns.
 */
public final class SingleTrialRun {

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final long PROGRESS_INTERVAL_MS = 500;
    private static final String LAUNCHER_ENDED = "interrupted: the launching process ended";

    private SingleTrialRun() {
    }

    /** The trial of the plan with this id, if there is one. */
    public static Optional<TrialSpec> find(SweepPlan plan, String id) {
        return plan.trials().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    public static TrialOutcome run(SweepPlan plan, TrialSpec trial, PluginRuntime engine, ResultsStore store,
                                   Map<String, Object> provenance) throws InterruptedException {
        return run(plan, trial, engine, store, provenance, null);
    }

    /**
     * @param attempt null: the trial writes its own folder; else the launcher's attempt token, and the
     *                trial writes {@code .staging/<id>/<attempt>/} for the lock holder to commit
     */
    public static TrialOutcome run(SweepPlan plan, TrialSpec trial, PluginRuntime engine, ResultsStore store,
                                   Map<String, Object> provenance, String attempt) throws InterruptedException {
        String named = System.getenv(org.ablate.spi.launch.TrialProcess.LAUNCHER_PID_VARIABLE);
        Optional<ProcessHandle> launcher = named == null ? ProcessHandle.current().parent() : launcherNamed(named);
        if (named != null && launcher.filter(ProcessHandle::isAlive).isEmpty()) {
            // nothing written: the folder stays as the sweep left it, and the next sweep runs the trial
            return new TrialOutcome(trial, TrialState.INTERRUPTED, LAUNCHER_ENDED, Duration.ZERO, Map.of());
        }
        ExperimentFolder folder = store.experiment(plan.experiment().name());
        TrialFolder writes = attempt == null ? folder.trial(trial.id()) : folder.staged(trial.id(), attempt);
        TrialExecution execution = new TrialExecution(trial, folder, writes, engine.registry(), plan.experiment().taskOptions(),
                provenance, null, Tracker.NONE, engine.clock());
        Thread stop = new Thread(() -> stop(execution, "interrupted: the trial's process was stopped (SIGINT or SIGTERM)"),
                "trial-interruption");
        Runtime.getRuntime().addShutdownHook(stop);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trial-progress");
            t.setDaemon(true);
            return t;
        });
        long[] written = {-1, -1};
        String[] message = {null};
        progress.scheduleWithFixedDelay(() -> {
            TrialProgress p = execution.progress();
            if (p.done() != written[0] || p.total() != written[1] || !p.message().equals(message[0])) {
                written[0] = p.done();
                written[1] = p.total();
                message[0] = p.message();
                try {
                    ProgressFile.write(writes, p);
                } catch (IOException | RuntimeException ignored) {
                    // the display misses a figure; the trial's own records are what count
                }
            }
        }, PROGRESS_INTERVAL_MS, PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
        try {
            execution.start();
            // after the start: a launcher that ended since the check above stops the trial at once
            launcher.ifPresent(p -> p.onExit().thenRun(() -> stop(execution, LAUNCHER_ENDED)));
            return execution.done().join();
        } finally {
            progress.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it records the end
            }
        }
    }

    /** The launcher's process, empty when it has ended (or the variable is not a pid). */
    private static Optional<ProcessHandle> launcherNamed(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stop(TrialExecution execution, String reason) {
        execution.cancel(CancellationToken.Cause.USER, reason);
        try {
            execution.done().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notDone) {
            execution.abandon(TrialState.INTERRUPTED, reason);
        }
    }
}
