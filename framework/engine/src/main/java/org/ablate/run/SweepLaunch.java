package org.ablate.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ablate.experiment.TrialSpec;
import org.ablate.logging.LogRouting;
import org.ablate.spi.Cancellation;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.InProcessTrial;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.TrialCommand;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.StoreException;
import org.ablate.store.TrialState;
import org.ablate.tracking.Tracker;
import org.slf4j.MDC;

/**
 * The engine's side of one sweep's launch: what a {@link org.ablate.spi.launch.Launcher} is handed.
 * It owns the bookkeeping every launcher shares: the running trials (for the display and Ctrl-C),
 * the outcomes, the tracker's view of each trial, and a results store that refused a write (which
 * stops new trials, as a full disk fails them all the same way).
 */
final class SweepLaunch implements LaunchContext {

    private final ExperimentFolder folder;
    private final ComponentRegistry registry;
    private final java.time.InstantSource clock;
    private final Map<String, Object> provenance;
    private final Tracker tracker;
    private final Duration timeout;
    private final Duration grace;
    private final int parallel;
    private final Parameters options;
    private final TrialCommands commands;
    private final Parameters taskOptions;
    private final Map<String, TrialSpec> specs = new LinkedHashMap<>();
    private final Set<RunningTrial> running = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Map<String, ExternalTrial> external = new ConcurrentHashMap<>();
    private final List<TrialOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<?>> ends = Collections.synchronizedList(new ArrayList<>());
    private final CancellationToken stopped = new CancellationToken();
    private final AtomicReference<StoreException> storeFailure = new AtomicReference<>();
    private final Path sweepLog;
    private volatile boolean stopping;
    private volatile SweepMonitor monitor;

    SweepLaunch(List<TrialSpec> pending, ExperimentFolder folder, ComponentRegistry registry, java.time.InstantSource clock,
                Map<String, Object> provenance, Tracker tracker, Duration timeout, RunOptions options, Parameters launcherOptions, TrialCommands commands,
                Parameters taskOptions) {
        pending.forEach(t -> specs.put(t.id(), t));
        this.taskOptions = taskOptions;
        this.folder = folder;
        this.registry = registry;
        this.clock = clock;
        this.provenance = provenance;
        this.tracker = tracker;
        this.timeout = timeout;
        this.grace = options.timeoutGrace();
        this.parallel = options.parallel();
        this.options = launcherOptions;
        this.commands = commands;
        this.sweepLog = folder.dir().resolve(ExperimentFolder.SWEEP_LOG);
    }

    void monitor(SweepMonitor m) {
        this.monitor = m;
    }

    List<RunningTrial> running() {
        synchronized (running) {
            return new ArrayList<>(running);
        }
    }

    List<TrialOutcome> outcomes() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    StoreException storeFailure() {
        return storeFailure.get();
    }

    boolean interrupted() {
        return stopping;
    }

    /** Waits for every trial that started to have ended (a launcher may return before its callbacks did). */
    void awaitEnds() {
        List<CompletableFuture<?>> all;
        synchronized (ends) {
            all = new ArrayList<>(ends);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /** Every second: the display, and the trials that run elsewhere (progress, tracker start). */
    void tick() {
        external.values().forEach(ExternalTrial::poll);
        SweepMonitor m = monitor;
        if (m != null) {
            m.tick(running());
        }
    }

    @Override
    public int parallelism() {
        return parallel;
    }

    @Override
    public Optional<Duration> trialTimeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public Duration cancelGrace() {
        return grace;
    }

    @Override
    public Cancellation cancellation() {
        return stopped;
    }

    @Override
    public Path experimentDir() {
        return folder.dir();
    }

    @Override
    public Parameters options() {
        return options;
    }

    @Override
    public InProcessTrial inProcess(LaunchTrial trial) {
        TrialExecution execution = new TrialExecution(spec(trial), folder, registry, taskOptions, provenance, timeout, tracker,
                clock);
        return new InProcessTrial() {
            @Override
            public boolean start() {
                synchronized (running) {
                    // with the interruption's snapshot: a trial is either among those it cancels, or never starts
                    if (!mayStart()) {
                        return false;
                    }
                    running.add(execution);
                }
                // the sweep waits for this, not for done(): the outcome is counted before the sweep returns
                ends.add(execution.done().whenComplete((outcome, error) -> {
                    if (execution.storeFailure() != null) {
                        storeFailure.compareAndSet(null, execution.storeFailure());
                    }
                    running.remove(execution);
                    if (outcome != null) {
                        execution.trialTracker().ended(outcome.state());
                        ended(outcome);
                    }
                }));
                execution.start();
                return true;
            }

            @Override
            public CompletableFuture<Void> done() {
                return execution.done().thenApply(o -> null);
            }

            @Override
            public void timeOut(String reason) {
                execution.cancel(CancellationToken.Cause.TIMEOUT, reason);
            }

            @Override
            public void giveUp(String reason) {
                execution.abandon(TrialState.FAILED, reason);
            }
        };
    }

    @Override
    public TrialCommand command(LaunchTrial trial) {
        return commands.command(spec(trial));
    }

    @Override
    public boolean starting(LaunchTrial trial) {
        return announce(trial, true);
    }

    @Override
    public boolean attaching(LaunchTrial trial) {
        return announce(trial, false);
    }

    @Override
    public void detached(LaunchTrial trial) {
        ExternalTrial e = external.remove(trial.id());
        if (e == null) {
            throw new IllegalStateException("trial " + trial.id() + " detached but was never announced");
        }
        running.remove(e);
        e.counted().complete(null);
    }

    private boolean announce(LaunchTrial trial, boolean archive) {
        TrialSpec spec = spec(trial);
        ExternalTrial e = new ExternalTrial(spec, folder, provenance, tracker, clock);
        synchronized (running) {
            if (!mayStart() || external.containsKey(spec.id())) {
                return false;
            }
            try {
                // moved aside here, not by the child: the display and the tracker must not read the old attempt
                if (archive) {
                    folder.archiveAttempt(folder.trial(spec.id()));
                }
            } catch (IOException | StoreException ex) {
                StoreException failure = ex instanceof StoreException s ? s
                        : StoreException.cannotWrite(folder.trial(spec.id()).dir(), (IOException) ex);
                storeFailure.compareAndSet(null, failure);
                return false;
            }
            external.put(spec.id(), e);
            running.add(e);
            ends.add(e.counted());
        }
        return true;
    }

    @Override
    public boolean started(LaunchTrial trial) {
        ExternalTrial e = external.get(trial.id());
        return e != null && e.started();
    }

    @Override
    public void progress(LaunchTrial trial, long done, long total, String message) {
        ExternalTrial e = external.get(trial.id());
        if (e != null) {
            e.progress(done, total, message);
        }
    }

    @Override
    public void ended(LaunchTrial trial, TrialEnd end) {
        ExternalTrial e = external.get(trial.id());
        if (e == null) {
            throw new IllegalStateException("trial " + trial.id() + " ended but was never announced with starting()");
        }
        boolean first = !e.done().isDone();
        TrialOutcome outcome = e.end(end);
        if (first) {
            if (e.storeFailure() != null) {
                storeFailure.compareAndSet(null, e.storeFailure());
            }
            running.remove(e);
            external.remove(trial.id());
            e.trialTracker().ended(outcome.state());
            ended(outcome);
            e.counted().complete(null);
        }
    }

    private void ended(TrialOutcome outcome) {
        outcomes.add(outcome);
        SweepMonitor m = monitor;
        if (m != null) {
            try (MDC.MDCCloseable r = LogRouting.routeTo(sweepLog)) {
                m.trialEnded(outcome, running());
            }
        }
    }

    private boolean mayStart() {
        return !stopping && storeFailure.get() == null;
    }

    private TrialSpec spec(LaunchTrial trial) {
        TrialSpec spec = specs.get(trial.id());
        if (spec == null) {
            throw new IllegalArgumentException("trial " + trial.id() + " is not one of this sweep's pending trials");
        }
        return spec;
    }

    /**
     * Ctrl-C / SIGTERM: start nothing more, ask every running trial to stop (the launcher stops the
     * ones it runs elsewhere), and record INTERRUPTED whatever has not ended by {@code wait}.
     *
     * @return how many trials were running
     */
    int interrupt(String reason, Duration wait) {
        List<RunningTrial> now;
        synchronized (running) {
            stopping = true;
            now = new ArrayList<>(running);
        }
        stopped.cancel(CancellationToken.Cause.USER, reason);
        for (RunningTrial t : now) {
            if (t instanceof TrialExecution e) {
                e.cancel(CancellationToken.Cause.USER, reason);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (RunningTrial t : now) {
            CompletableFuture<TrialOutcome> done = t instanceof TrialExecution e ? e.done() : ((ExternalTrial) t).done();
            try {
                done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception notDone) {
                if (t instanceof TrialExecution e) {
                    e.abandon(TrialState.INTERRUPTED, reason);
                } else {
                    ended(new LaunchTrial(t.spec().id(), t.spec().index(), t.spec().displayName(), null),
                            TrialEnd.interrupted(reason));
                }
            }
        }
        return now.size();
    }
}
