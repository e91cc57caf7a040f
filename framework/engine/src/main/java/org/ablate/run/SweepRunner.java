package org.ablate.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.logging.LogRouting;
import org.ablate.logging.RoutingFileAppender;
import org.ablate.plugin.PluginRuntime;
import org.ablate.provenance.Provenance;
import org.ablate.store.AtomicFiles;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.StoredTrial;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.store.StoreException;
import org.ablate.store.SweepRecord;
import org.ablate.store.TrialCommit;
import org.ablate.store.TrialState;
import org.ablate.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a sweep plan into the results store. Resumes by default: FINISHED trials are skipped,
 * RUNNING (left by a killed process), FAILED and INTERRUPTED ones run again. The chosen launcher
 * decides where the pending trials run (threads of this JVM by default, child processes, a
 * cluster), up to {@code parallel} at once, each writing only its own folder; this class keeps the
 * lock, the sweep record, the tracker, the display and Ctrl-C. A failing trial never stops the
 * sweep. A per-trial timeout ends a trial FAILED; Ctrl-C stops the running ones (INTERRUPTED)
 * before the JVM exits. Attempts staged by a launcher are committed as they end; what a sweep that
 * died left staged is tidied when the next one starts, except the attempts that the launcher's
 * scheduler still runs (a detached submission's tasks), which the launcher attaches to.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final Duration TRACKER_WAIT_ON_EXIT = Duration.ofSeconds(5);
    /** The sweep's provenance, for trials run by child processes (see {@link TrialCommands}). */
    static final String PROVENANCE = ".provenance.json";

    private final ResultsStore store;
    private final PluginRuntime engine;

    public SweepRunner(ResultsStore store, PluginRuntime engine) {
        this.store = store;
        this.engine = engine;
    }

    public SweepResult run(SweepPlan plan, RunOptions options, String invocation) throws IOException, InterruptedException {
        String name = plan.experiment().name();
        if (options.fresh()) {
            ExperimentFolder old = store.experiment(name);
            if (old.exists()) {
                Path archived;
                try (ExperimentFolder.Lock ignored = old.lock()) {
                    archived = store.archive(name);
                }
                LOG.info("--fresh: moved earlier results of '{}' to {}", name, archived);
            }
        }
        ExperimentFolder folder = store.experiment(name);
        try (ExperimentFolder.Lock lock = folder.lock();
             MDC.MDCCloseable route = LogRouting.routeTo(folder.dir().resolve(ExperimentFolder.SWEEP_LOG))) {
            return runLocked(plan, options, invocation, folder);
        } finally {
            RoutingFileAppender.closeFile(folder.dir().resolve(ExperimentFolder.SWEEP_LOG));
        }
    }

    private SweepResult runLocked(SweepPlan plan, RunOptions options, String invocation, ExperimentFolder folder)
            throws IOException, InterruptedException {
        refuseAttemptsLiveElsewhere(folder, options.launcher().name());
        Path experimentFile = Path.of(plan.experiment().sourceFile()).toAbsolutePath();
        Map<String, Object> provenance = new LinkedHashMap<>(
                Provenance.collect(experimentFile.getParent() == null ? Path.of(".") : experimentFile.getParent(),
                        engine.plugins()));
        provenance.put("command", invocation);
        if (provenance.get("nd4j_fallback") != null) {
            // the CUDA build on a machine whose GPU ND4J cannot use: one line instead of ND4J's stack trace
            LOG.warn("ND4J runs on the CPU (nd4j-native): its CUDA backend cannot run here: {}", provenance.get("nd4j_fallback"));
        }
        // the tracker first: a server that refuses the credentials stops the sweep before it writes anything
        try (Tracker tracker = options.tracking().open(folder, plan, provenance)) {
            writeSweepRecord(plan, folder, invocation, options.launcher().name());
            return runTracked(plan, options, folder, provenance, tracker);
        }
    }

    /**
     * A detached submission of another launcher (e.g. {@code --launcher slurm --detach}) still has
     * tasks of this experiment queued or running: a sweep on this launcher would take their staged
     * attempts for leftovers, move them aside and run the trials a second time. Refused before anything
     * is written; the same launcher attaches instead. Every installed launcher is asked (creating one
     * loads none of its engine's classes, e.g. no Spark class). A launcher that cannot ask its
     * scheduler refuses only where one of its tasks' attempts is staged.
     */
    private void refuseAttemptsLiveElsewhere(ExperimentFolder folder, String chosen) throws IOException {
        org.ablate.spi.ComponentRegistry registry = engine.registry();
        for (String name : registry.names(org.ablate.spi.launch.Launcher.class)) {
            if (name.equals(chosen)) {
                continue;
            }
            org.ablate.spi.launch.LiveAttempts live =
                    registry.create(org.ablate.spi.launch.Launcher.class, name).liveAttempts(folder.dir());
            if (live == org.ablate.spi.launch.LiveAttempts.NONE) {
                continue;
            }
            List<String> running = new ArrayList<>();
            for (String id : folder.stagedTrials()) {
                if (folder.stagedAttempts(id).stream().anyMatch(a -> live.isLive(a.dir().getFileName().toString()))) {
                    running.add(id);
                }
            }
            String what = running.isEmpty()
                    ? "still has tasks of it queued or running (a detached submission)"
                    : "still runs " + running.size() + " of its trials (a detached submission: " + String.join(", ", running) + ")";
            if (running.isEmpty() && !live.confirmed()) {
                // the scheduler could not be asked (e.g. a results folder copied off the cluster) and no
                // staged attempt is one of its tasks': nothing here can be overwritten
                LOG.warn("launcher '{}' cannot tell whether its recorded tasks of '{}' still run; none has a staged attempt here",
                        name, folder.name());
                continue;
            }
            throw new org.ablate.store.ExperimentLockedException("experiment '" + folder.name() + "': launcher '" + name
                    + "' " + what + "; attach with --launcher " + name + ", or cancel them before running on launcher '"
                    + chosen + "'");
        }
    }

    /**
     * Trials whose previous attempt recorded how long it ran start first, longest first, so that a
     * long trial does not start last and hold the sweep's end back while the other slots idle; the
     * others keep their plan order after them (a stable sort).
     */
    private static void longestFirst(List<TrialSpec> pending, Map<String, Double> ranSeconds) {
        pending.sort(java.util.Comparator.comparingDouble(t -> -ranSeconds.getOrDefault(t.id(), Double.NEGATIVE_INFINITY)));
    }

    private SweepResult runTracked(SweepPlan plan, RunOptions options, ExperimentFolder folder,
                                   Map<String, Object> provenance, Tracker tracker) throws IOException, InterruptedException {
        // a driver that died left staged attempts: a FINISHED one is committed, the others archived; the
        // attempts of tasks that a scheduler still runs for a detached submission stay, for the launcher to attach to
        TrialCommit.Recovery recovered = new TrialCommit(folder).recover(options.launcher().launcher().liveAttempts(folder.dir()));
        if (!recovered.committed().isEmpty()) {
            LOG.info("committed {} trial(s) whose attempt had finished in {}/ with no sweep attached: {}", recovered.committed().size(),
                    ExperimentFolder.STAGING, String.join(", ", recovered.committed()));
        }
        if (!recovered.stillLive().isEmpty()) {
            LOG.info("left {} trial(s) staged in {}/: launcher '{}' still has their tasks queued or running: {}",
                    recovered.stillLive().size(), ExperimentFolder.STAGING, options.launcher().name(),
                    String.join(", ", recovered.stillLive()));
        }
        List<TrialSpec> pending = new ArrayList<>();
        Map<String, Double> ranBefore = new java.util.HashMap<>();
        int skipped = 0;
        for (TrialSpec t : plan.trials()) {
            StoredTrial stored = folder.trial(t.id()).read();
            if (stored.finished()) {
                skipped++;
            } else {
                if (stored.damaged()) {
                    LOG.warn("{}; running trial {} again (the damaged attempt is kept under {}/)", stored.damage(), t.id(),
                            ExperimentFolder.ATTEMPTS);
                }
                pending.add(t);
                stored.durationSeconds().ifPresent(d -> ranBefore.put(t.id(), d));
            }
        }
        longestFirst(pending, ranBefore);
        Duration timeout = options.trialTimeout() != null ? options.trialTimeout() : plan.experiment().trialTimeout();
        LOG.info("experiment '{}' ({} trials: {} configurations x {} seeds) in {}", plan.experiment().name(),
                plan.trials().size(), plan.configurations(), plan.experiment().seeding().seeds().size(), folder.dir());

        SweepLaunch launch = new SweepLaunch(pending, folder, engine.registry(), engine.clock(), provenance, tracker, timeout, options,
                options.launcher().options(), commands(options, folder, provenance), plan.experiment().taskOptions());
        org.ablate.spi.launch.Resources resources = plan.experiment().launch().resources();
        List<LaunchTrial> trials = pending.stream()
                .map(t -> new LaunchTrial(t.id(), t.index(), t.displayName(), resources)).toList();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "sweep-display");
            t.setDaemon(true);
            return t;
        });
        Interruption interruption = new Interruption(launch, scheduler, tracker);
        try (SweepMonitor monitor = options.display() == RunOptions.Display.BAR
                ? new TerminalMonitor(plan.experiment().name(), plan.experiment().headline())
                : new LogLineMonitor(options.logInterval(), plan.experiment().headline())) {
            interruption.monitor = monitor;
            launch.monitor(monitor);
            Runtime.getRuntime().addShutdownHook(interruption);
            monitor.started(pending.size(), skipped);
            scheduler.scheduleAtFixedRate(launch::tick, 1, 1, TimeUnit.SECONDS);
            options.launcher().launcher().launch(trials, launch);
            launch.awaitEnds();
        } finally {
            scheduler.shutdownNow();
            if (!launch.interrupted()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(interruption);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook is running
                }
            }
        }
        StoreException storeFailure = launch.storeFailure();
        if (storeFailure != null && !launch.interrupted()) {
            // a full or read-only disk fails every later trial the same way: stop and say so once
            throw new StoreException(storeFailure.getMessage(), storeFailure);
        }
        SweepResult result = new SweepResult(folder.dir(), skipped, launch.outcomes(), launch.interrupted());
        LOG.info("sweep '{}' done: {} finished, {} failed, {} interrupted, {} skipped (already finished)",
                plan.experiment().name(), result.count(TrialState.FINISHED), result.count(TrialState.FAILED),
                result.count(TrialState.INTERRUPTED), skipped);
        return result;
    }

    /**
     * What a child process needs to run one trial of this sweep; the sweep's provenance goes to a
     * file the children copy into their config.json (so they need not collect it again).
     */
    private static TrialCommands commands(RunOptions options, ExperimentFolder folder, Map<String, Object> provenance)
            throws IOException {
        if (options.commands() == null || options.launcher().launcher() instanceof org.ablate.launch.InProcessLauncher) {
            return options.commands();
        }
        Path file = folder.dir().resolve(PROVENANCE);
        Json.writeAtomically(file, provenance);
        return options.commands().withProvenance(file);
    }

    private static void writeSweepRecord(SweepPlan plan, ExperimentFolder folder, String invocation, String launcher)
            throws IOException {
        List<SweepRecord.PlannedTrial> trials = new ArrayList<>();
        for (TrialSpec t : plan.trials()) {
            trials.add(new SweepRecord.PlannedTrial(t.id(), t.seed(), t.varying()));
        }
        new SweepRecord(plan.experiment().name(), plan.experiment().description(), plan.task().name(),
                plan.experiment().sourceFile(), invocation, Instant.now().toString(), plan.experiment().headline(),
                plan.varyingKeys(), launcher, plan.experiment().launch().describeResources(), trials, Map.of())
                .write(folder.dir().resolve(ExperimentFolder.SWEEP));
        AtomicFiles.writeString(folder.dir().resolve("experiment.yaml"), plan.experiment().sourceText());
    }

    /** The Ctrl-C / SIGTERM hook: stop starting trials, stop the running ones, record them INTERRUPTED. */
    private static final class Interruption extends Thread {
        private final SweepLaunch launch;
        private final ScheduledExecutorService scheduler;
        private final Tracker tracker;
        private volatile SweepMonitor monitor;

        Interruption(SweepLaunch launch, ScheduledExecutorService scheduler, Tracker tracker) {
            super("sweep-interruption");
            this.launch = launch;
            this.scheduler = scheduler;
            this.tracker = tracker;
        }

        @Override
        public void run() {
            int stopped = launch.interrupt("interrupted: the sweep was stopped (Ctrl-C or SIGTERM)", SHUTDOWN_WAIT);
            scheduler.shutdownNow();
            tracker.close(TRACKER_WAIT_ON_EXIT); // what is not sent by then stays unsynced for `ablate sync`
            SweepMonitor m = monitor;
            if (m != null) {
                m.close();
            }
            System.err.println("ablate: interrupted; " + stopped + " running trial(s) marked INTERRUPTED."
                    + " Run the same command again to resume.");
        }
    }
}
