package org.ablate.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ablate.config.Durations;
import org.ablate.experiment.TrialSpec;
import org.ablate.logging.LogRouting;
import org.ablate.logging.RoutingFileAppender;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Task;
import org.ablate.spi.TrialCancelledException;
import org.ablate.spi.TrialFailedException;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.StoreException;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.tracking.Tracker;
import org.ablate.tracking.TrialTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One trial, run on its own thread: prepares the folder, runs the task, and records how it ended.
 * The runner may end it from outside ({@link #cancel}, {@link #abandon}) when it times out or the
 * user interrupts the sweep.
 */
final class TrialExecution implements Runnable, RunningTrial {

    private static final Logger LOG = LoggerFactory.getLogger(TrialExecution.class);

    private final TrialSpec spec;
    private final ExperimentFolder experiment;
    private final TrialFolder folder;
    private final ComponentRegistry registry;
    private final org.ablate.spi.Parameters taskOptions;
    private final Map<String, Object> provenance;
    private final Duration timeout;
    private final Tracker tracker;
    private final InstantSource clock;
    private volatile TrialTracker trialTracker = TrialTracker.NONE;
    private final CancellationToken token = new CancellationToken();
    private final TrialProgress progress = new TrialProgress();
    private final CompletableFuture<TrialOutcome> done = new CompletableFuture<>();
    private volatile TrialRecorder recorder;
    private volatile TrialMetricsWriter metrics;
    private volatile Thread thread;
    private volatile StoreException storeFailure;
    /** Orders the recorder's creation against {@link #abandon}: a trial given up on before it started stays unstarted. */
    private final Object lifecycle = new Object();

    TrialExecution(TrialSpec spec, ExperimentFolder experiment, ComponentRegistry registry,
                   Map<String, Object> provenance, Duration timeout, Tracker tracker, InstantSource clock) {
        this(spec, experiment, experiment.trial(spec.id()), registry, new org.ablate.spi.Parameters(Map.of()), provenance,
                timeout, tracker, clock);
    }

    /** @param taskOptions what the task is created with (a command task's program), beside the trial's parameters */
    TrialExecution(TrialSpec spec, ExperimentFolder experiment, ComponentRegistry registry, org.ablate.spi.Parameters taskOptions,
                   Map<String, Object> provenance, Duration timeout, Tracker tracker, InstantSource clock) {
        this(spec, experiment, experiment.trial(spec.id()), registry, taskOptions, provenance, timeout, tracker, clock);
    }

    /**
     * @param folder where the trial writes: its own folder, or a staged attempt at it
     * @param taskOptions what the task is created with (a command task's program), beside the trial's parameters
     */
    TrialExecution(TrialSpec spec, ExperimentFolder experiment, TrialFolder folder, ComponentRegistry registry,
                   org.ablate.spi.Parameters taskOptions, Map<String, Object> provenance, Duration timeout, Tracker tracker,
                   InstantSource clock) {
        this.taskOptions = taskOptions;
        this.spec = spec;
        this.experiment = experiment;
        this.folder = folder;
        this.registry = registry;
        this.provenance = provenance;
        this.timeout = timeout;
        this.tracker = tracker;
        this.clock = clock;
    }

    /** The trial as the sweep's tracker sees it (NONE until the trial has started). */
    TrialTracker trialTracker() {
        return trialTracker;
    }

    @Override
    public TrialSpec spec() {
        return spec;
    }

    @Override
    public TrialProgress progress() {
        return progress;
    }

    CompletableFuture<TrialOutcome> done() {
        return done;
    }

    void start() {
        Thread t = new Thread(this, "trial-" + spec.id());
        t.setDaemon(true); // a task that ignores cancellation must not keep the JVM alive
        thread = t;
        t.start();
    }

    /** Set when the store refused to record this trial's end: the sweep cannot go on writing there. */
    StoreException storeFailure() {
        return storeFailure;
    }

    @Override
    public void run() {
        try {
            if (done.isDone()) {
                return;
            }
            experiment.archiveAttempt(folder);
            TrialMetricsWriter.ensureFolders(folder);
        } catch (IOException | StoreException e) {
            if (e instanceof StoreException s) {
                storeFailure = s;
            }
            done.complete(new TrialOutcome(spec, TrialState.FAILED, "cannot prepare " + folder.dir() + ": "
                    + (e instanceof StoreException ? e.getMessage() : e.toString()), Duration.ZERO, Map.of()));
            return;
        }
        try (MDC.MDCCloseable route = LogRouting.routeTo(folder.file(TrialFolder.LOG));
             MDC.MDCCloseable trialId = MDC.putCloseable("ablate.trial", spec.id())) {
            // nested so that a failure is logged while the trial's log is still routed
            try {
                synchronized (lifecycle) {
                    if (done.isDone()) {
                        return; // abandoned (Ctrl-C, timeout) before it started: nothing of this attempt is on disk
                    }
                    recorder = new TrialRecorder(spec, folder, experiment.name(), provenance, clock);
                    recorder.start();
                }
                trialTracker = tracker.trialStarted(spec, folder);
                metrics = new TrialMetricsWriter(folder, trialTracker);
                LOG.debug("trial {} started: {}", spec.id(), spec.displayName());
                Map<String, Double> summary = runTask();
                metrics.close();
                TrialOutcome outcome = recorder.end(TrialState.FINISHED, "", "", summary);
                LOG.debug("trial {} {} in {}", spec.id(), outcome.state(), Durations.format(outcome.duration()));
                done.complete(outcome);
            } catch (Throwable t) {
                done.complete(recordFailure(t));
            }
        } finally {
            closeQuietly();
            RoutingFileAppender.closeFile(folder.file(TrialFolder.LOG));
        }
    }

    private Map<String, Double> runTask() throws Exception {
        Task task = taskOptions.asMap().isEmpty() ? registry.create(Task.class, spec.task())
                : registry.create(Task.class, spec.task(), taskOptions);
        DefaultTrialContext context = new DefaultTrialContext(spec, folder, registry, metrics, progress, token);
        Map<String, Double> returned = task.run(context);
        if (token.isCancelled()) {
            // the task returned normally after being asked to stop: its numbers are incomplete
            throw new TrialCancelledException(token.reason());
        }
        Map<String, Double> summary = new LinkedHashMap<>(metrics.summary());
        if (returned != null) {
            summary.putAll(returned);
        }
        summary.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                LOG.warn("trial {}: summary metric {} is {}", spec.id(), k, v);
            }
        });
        return summary;
    }

    private TrialOutcome recordFailure(Throwable t) {
        // the task has stopped, so the interrupt that asked it to has done its work; cleared so
        // that nothing below (logging, the tracker) is cut short by it
        Thread.interrupted();
        TrialState state;
        String reason;
        if (token.isCancelled()) {
            state = token.cause() == CancellationToken.Cause.USER ? TrialState.INTERRUPTED : TrialState.FAILED;
            reason = token.reason();
        } else {
            state = TrialState.FAILED;
            reason = t instanceof StoreException || t instanceof TrialFailedException
                    ? t.getMessage() // already one line that says what failed
                    : t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof TrialFailedException f && state == TrialState.FAILED) {
            LOG.warn("trial {} FAILED ({}): {}", spec.id(), spec.displayName(), reason);
            return endQuietly(state, reason, f.detail());
        }
        if (state == TrialState.FAILED) {
            LOG.warn("trial {} FAILED ({}): {}", spec.id(), spec.displayName(), reason, t);
        } else {
            LOG.info("trial {} {}: {}", spec.id(), state, reason);
        }
        return endQuietly(state, reason, stackTrace(t));
    }

    /** Asks the task to stop; it ends FAILED on a timeout, INTERRUPTED when the user stopped the sweep. */
    void cancel(CancellationToken.Cause cause, String reason) {
        if (token.cancel(cause, reason)) {
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /**
     * Records the end without waiting for a task that ignored its cancellation; its later writes
     * are refused (the metrics file is closed) and its thread is left to die with the JVM.
     */
    void abandon(TrialState state, String reason) {
        synchronized (lifecycle) {
            closeQuietly();
            done.complete(endQuietly(state, reason, ""));
        }
    }

    private TrialOutcome endQuietly(TrialState state, String reason, String trace) {
        closeQuietly();
        TrialRecorder r = recorder;
        if (r == null) {
            return new TrialOutcome(spec, state, reason, Duration.ZERO, Map.of());
        }
        try {
            return r.end(state, reason, trace, Map.of());
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreException s) {
                storeFailure = s;
            }
            LOG.error("trial {}: cannot record its end in {}: {}", spec.id(), folder.dir(), e.getMessage());
            return new TrialOutcome(spec, state, reason, Duration.between(r.started(), clock.instant()), Map.of());
        }
    }

    private void closeQuietly() {
        TrialMetricsWriter m = metrics;
        if (m != null) {
            try {
                m.close();
            } catch (IOException | StoreException e) {
                LOG.warn("trial {}: cannot close metrics: {}", spec.id(), e.toString());
            }
        }
    }

    Duration timeout() {
        return timeout;
    }

    private static String stackTrace(Throwable t) {
        StringWriter s = new StringWriter();
        t.printStackTrace(new PrintWriter(s));
        return s.toString();
    }
}
