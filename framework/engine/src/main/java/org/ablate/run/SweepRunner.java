package org.ablate.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ablate.config.Durations;
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
import org.ablate.store.StoreException;
import org.ablate.store.TrialState;
import org.ablate.tracking.Tracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a sweep plan into the results store. Resumes by default: FINISHED trials are skipped,
 * RUNNING (left by a killed process), FAILED and INTERRUPTED ones run again. Up to
 * {@code parallel} trials run at once, each on its own thread writing only its own folder. A
 * failing trial never stops the sweep. A per-trial timeout cancels a trial (FAILED); Ctrl-C
 * cancels the running ones (INTERRUPTED) before the JVM exits.
 */
public final class SweepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
    private static final Duration TRACKER_WAIT_ON_EXIT = Duration.ofSeconds(5);

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
        Path experimentFile = Path.of(plan.experiment().sourceFile()).toAbsolutePath();
        Map<String, Object> provenance = new LinkedHashMap<>(
                Provenance.collect(experimentFile.getParent() == null ? Path.of(".") : experimentFile.getParent(),
                        engine.plugins()));
        provenance.put("command", invocation);
        // the tracker first: a server that refuses the credentials stops the sweep before it writes anything
        try (Tracker tracker = options.tracking().open(folder, plan, provenance)) {
            writeSweepRecord(plan, folder, invocation);
            return runTracked(plan, options, folder, provenance, tracker);
        }
    }

    private SweepResult runTracked(SweepPlan plan, RunOptions options, ExperimentFolder folder,
                                   Map<String, Object> provenance, Tracker tracker) throws InterruptedException {
        List<TrialSpec> pending = new ArrayList<>();
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
            }
        }
        Duration timeout = options.trialTimeout() != null ? options.trialTimeout() : plan.experiment().trialTimeout();
        LOG.info("experiment '{}' ({} trials: {} configurations x {} seeds) in {}", plan.experiment().name(),
                plan.trials().size(), plan.configurations(), plan.experiment().seeding().seeds().size(), folder.dir());

        Path sweepLog = folder.dir().resolve(ExperimentFolder.SWEEP_LOG);
        Set<TrialExecution> running = Collections.synchronizedSet(new LinkedHashSet<>());
        List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<TrialOutcome>> futures = new ArrayList<>();
        Semaphore slots = new Semaphore(options.parallel());
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "sweep-watchdog");
            t.setDaemon(true);
            return t;
        });
        Interruption interruption = new Interruption(running, scheduler, tracker);
        java.util.concurrent.atomic.AtomicReference<StoreException> storeFailure = new java.util.concurrent.atomic.AtomicReference<>();
        try (SweepMonitor monitor = options.display() == RunOptions.Display.BAR
                ? new TerminalMonitor(plan.experiment().name(), plan.experiment().headline())
                : new LogLineMonitor(options.logInterval(), plan.experiment().headline())) {
            interruption.monitor = monitor;
            Runtime.getRuntime().addShutdownHook(interruption);
            monitor.started(pending.size(), skipped);
            scheduler.scheduleAtFixedRate(() -> monitor.tick(snapshot(running)), 1, 1, TimeUnit.SECONDS);
            for (TrialSpec trial : pending) {
                slots.acquire();
                TrialExecution execution = new TrialExecution(trial, folder, engine.registry(), provenance, timeout, tracker);
                synchronized (running) {
                    // with the hook's snapshot: a trial is either among those it cancels, or never starts
                    if (interruption.stopping || storeFailure.get() != null) {
                        slots.release();
                        break;
                    }
                    running.add(execution);
                }
                CompletableFuture<TrialOutcome> finished = execution.done().whenComplete((outcome, error) -> {
                    if (execution.storeFailure() != null) {
                        storeFailure.compareAndSet(null, execution.storeFailure());
                    }
                    running.remove(execution);
                    slots.release();
                    if (outcome != null) {
                        execution.trialTracker().ended(outcome.state());
                        outcomes.add(outcome);
                        try (MDC.MDCCloseable r = LogRouting.routeTo(sweepLog)) {
                            monitor.trialEnded(outcome, snapshot(running));
                        }
                    }
                });
                futures.add(finished);
                if (timeout != null) {
                    watch(execution, timeout, options.timeoutGrace(), scheduler);
                }
                execution.start();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } finally {
            scheduler.shutdownNow();
            if (!interruption.stopping) {
                try {
                    Runtime.getRuntime().removeShutdownHook(interruption);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting; the hook is running
                }
            }
        }
        if (storeFailure.get() != null && !interruption.stopping) {
            // a full or read-only disk fails every later trial the same way: stop and say so once
            throw new StoreException(storeFailure.get().getMessage(), storeFailure.get());
        }
        SweepResult result = new SweepResult(folder.dir(), skipped, outcomes, interruption.stopping);
        LOG.info("sweep '{}' done: {} finished, {} failed, {} interrupted, {} skipped (already finished)",
                plan.experiment().name(), result.count(TrialState.FINISHED), result.count(TrialState.FAILED),
                result.count(TrialState.INTERRUPTED), skipped);
        return result;
    }

    private static List<TrialExecution> snapshot(Set<TrialExecution> running) {
        synchronized (running) {
            return new ArrayList<>(running);
        }
    }

    private static void watch(TrialExecution execution, Duration timeout, Duration grace, ScheduledExecutorService scheduler) {
        String reason = "timed out after " + Durations.format(timeout);
        scheduler.schedule(() -> execution.cancel(CancellationToken.Cause.TIMEOUT, reason),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> {
            if (!execution.done().isDone()) {
                LOG.warn("trial {} ignored its cancellation for {}; recording it FAILED and moving on",
                        execution.spec().id(), Durations.format(grace));
                execution.abandon(TrialState.FAILED, reason + "; the task did not stop within "
                        + Durations.format(grace) + " of cancellation");
            }
        }, timeout.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void writeSweepRecord(SweepPlan plan, ExperimentFolder folder, String invocation) throws IOException {
        Map<String, Object> sweep = new LinkedHashMap<>();
        sweep.put("experiment", plan.experiment().name());
        sweep.put("description", plan.experiment().description());
        sweep.put("task", plan.task().name());
        sweep.put("source_file", plan.experiment().sourceFile());
        sweep.put("command", invocation);
        sweep.put("started_at", Instant.now().toString());
        sweep.put("headline", plan.experiment().headline());
        sweep.put("varying", plan.varyingKeys());
        List<Map<String, Object>> trials = new ArrayList<>();
        for (TrialSpec t : plan.trials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("seed", t.seed());
            m.put("varying", t.varying());
            trials.add(m);
        }
        sweep.put("trials", trials);
        Json.writeAtomically(folder.dir().resolve(ExperimentFolder.SWEEP), sweep);
        AtomicFiles.writeString(folder.dir().resolve("experiment.yaml"), plan.experiment().sourceText());
    }

    /** The Ctrl-C / SIGTERM hook: stop starting trials, cancel the running ones, record them INTERRUPTED. */
    private static final class Interruption extends Thread {
        private final Set<TrialExecution> running;
        private final ScheduledExecutorService scheduler;
        private final Tracker tracker;
        private volatile boolean stopping;
        private volatile SweepMonitor monitor;

        Interruption(Set<TrialExecution> running, ScheduledExecutorService scheduler, Tracker tracker) {
            super("sweep-interruption");
            this.running = running;
            this.scheduler = scheduler;
            this.tracker = tracker;
        }

        @Override
        public void run() {
            String reason = "interrupted: the sweep was stopped (Ctrl-C or SIGTERM)";
            List<TrialExecution> now;
            synchronized (running) {
                stopping = true;
                now = new ArrayList<>(running);
            }
            now.forEach(e -> e.cancel(CancellationToken.Cause.USER, reason));
            long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
            for (TrialExecution e : now) {
                try {
                    e.done().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception notDone) {
                    e.abandon(TrialState.INTERRUPTED, reason);
                }
            }
            scheduler.shutdownNow();
            tracker.close(TRACKER_WAIT_ON_EXIT); // what is not sent by then stays unsynced for `ablate sync`
            SweepMonitor m = monitor;
            if (m != null) {
                m.close();
            }
            System.err.println("ablate: interrupted; " + now.size() + " running trial(s) marked INTERRUPTED."
                    + " Run the same command again to resume.");
        }
    }
}
