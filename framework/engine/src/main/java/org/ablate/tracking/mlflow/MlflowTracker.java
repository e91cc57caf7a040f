package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.logging.RoutingFileAppender;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.tracking.Tracker;
import org.ablate.tracking.TrackerFactory;
import org.ablate.tracking.TrialTracker;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a running sweep into MLflow from one background thread that follows each trial's
 * metrics.jsonl ({@link MetricsTail}), so logging a metric costs a trial nothing beyond its write
 * to the results store, and a slow server only delays the mirror. The parent run is made when the
 * first trial starts (a re-run that skips everything makes none). When the server is down or
 * refuses a request, the trial concerned is left {@code synced: false} in its mlflow.json and the
 * sweep goes on; `ablate sync` completes it later from the results store.
 */
public final class MlflowTracker implements Tracker {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);
    private static final long SEND_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Duration OUTAGE_BACKOFF = Duration.ofSeconds(30);
    private static final Duration START_CHECK = Duration.ofSeconds(15);
    private static final Duration LOG_CLOSE_WAIT = Duration.ofSeconds(10);

    private final MlflowRuns runs;
    private final ExperimentFolder folder;
    private final Invocation invocation;
    private final Map<String, Object> provenance;
    private final List<org.mlflow.api.proto.Service.Param> parentParams;
    private final List<LiveTrial> live = new CopyOnWriteArrayList<>();
    private final Thread sender;
    private final List<TrialState> ended = new CopyOnWriteArrayList<>();
    private volatile boolean closing;
    private volatile long downUntilNanos;
    private volatile boolean warnedOutage;
    private volatile boolean closed;
    private final AtomicBoolean finalizing = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch finalized = new java.util.concurrent.CountDownLatch(1);

    private MlflowTracker(MlflowConnection connection, ExperimentFolder folder, Invocation invocation,
                          Map<String, Object> provenance, List<org.mlflow.api.proto.Service.Param> parentParams,
                          boolean reachable) {
        this.runs = new MlflowRuns(connection);
        this.folder = folder;
        this.invocation = invocation;
        this.provenance = provenance;
        this.parentParams = parentParams;
        if (!reachable) {
            downUntilNanos = System.nanoTime() + OUTAGE_BACKOFF.toNanos();
            warnedOutage = true;
        }
        this.sender = new Thread(this::sendLoop, "mlflow-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Opens trackers for these settings; a refusal of the credentials stops the sweep before it starts. */
    public static TrackerFactory factory(MlflowSettings settings) {
        return (folder, plan, provenance) -> open(settings, folder, plan, provenance);
    }

    static MlflowTracker open(MlflowSettings settings, ExperimentFolder folder, SweepPlan plan, Map<String, Object> provenance) {
        MlflowConnection connection = new MlflowConnection(settings);
        Invocation invocation = Invocation.start(plan.experiment().name(), plan.experiment().description(), "run");
        boolean reachable = checkServer(connection);
        if (reachable) {
            LOG.info("tracking to MLflow {}", settings);
        }
        Iterable<Map<String, Object>> planned = () -> plan.trials().stream().map(t -> t.params().asMap()).iterator();
        return new MlflowTracker(connection, folder, invocation, provenance,
                ParentRunContent.params(plan.task().name(), planned), reachable);
    }

    /** Gets or creates the experiment with a time limit: true when the server answered. */
    private static boolean checkServer(MlflowConnection connection) {
        java.util.concurrent.CompletableFuture<String> check = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> connection.experimentId(connection.settings().experimentName()));
        try {
            check.get(START_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TrackingException t && t.kind() != TrackingException.Kind.UNREACHABLE) {
                throw t;
            }
            LOG.warn("{}; the sweep goes on, its trials stay unsynced until `ablate sync`", e.getCause().getMessage());
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("MLflow server {} did not answer in {} s; the sweep goes on, its trials stay unsynced until `ablate sync`",
                    connection.settings().uri(), START_CHECK.toSeconds());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public TrialTracker trialStarted(TrialSpec spec, TrialFolder trialFolder) {
        LiveTrial t = new LiveTrial(trialFolder, new SyncState(runs.connection().settings().uri(), invocation,
                null, null, null, false, "not sent yet"));
        try {
            t.state.write(trialFolder);
        } catch (IOException | org.ablate.store.StoreException e) { // a full disk must not stop the mirror
            LOG.warn("trial {}: cannot write {}: {}", spec.id(), SyncState.FILE, e.toString());
        }
        if (System.nanoTime() < downUntilNanos || closed) {
            t.giveUp("the MLflow server was unreachable when the trial started");
        } else {
            live.add(t);
            LockSupport.unpark(sender);
        }
        return t;
    }

    /**
     * Ends the invocation. Safe to call twice at once (Ctrl-C: the interruption hook and the sweep's
     * own thread both close): each waits for the sender as long as it said, and the first to be done
     * waiting ends the parent run and closes the connection; the other waits for that (within its
     * own limit) and returns.
     */
    @Override
    public void close(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        closing = true;
        LockSupport.unpark(sender);
        try {
            sender.join(Math.max(1, wait.toMillis()));
            if (!finalizing.compareAndSet(false, true)) {
                // the other closer is ending the parent: wait for it (the JVM may halt once this returns)
                finalized.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!finalizing.compareAndSet(false, true)) {
                return;
            }
        }
        try {
            finish();
        } finally {
            finalized.countDown();
        }
    }

    private void finish() {
        closed = true;
        int unsynced = 0;
        for (LiveTrial t : live) {
            t.giveUp("the sweep ended before everything was sent");
        }
        List<TrialState> states = new ArrayList<>(ended);
        try {
            for (TrialFolder f : folder.trials()) {
                Optional<SyncState> s = SyncState.read(f).filter(x -> x.invocation().id().equals(invocation.id()));
                if (s.isPresent() && !s.get().synced()) {
                    unsynced++;
                }
                // the trials' own records too: an end may be committed before the sweep is told of it
                if (s.isPresent()) {
                    f.status().map(TrialStatus::state).ifPresent(states::add);
                }
            }
        } catch (IOException ignored) {
            // only the count in the message, and the folder's view of the ends, are lost
        }
        runs.knownParent(invocation.id()).ifPresent(parent -> {
            try {
                runs.endParent(parent, parentStatus(states), folder, invocation.id());
            } catch (TrackingException | IOException e) {
                LOG.warn("cannot end the sweep's MLflow run: {}", e.getMessage());
            }
        });
        if (unsynced > 0) {
            LOG.warn("{} trial(s) of this sweep are not fully in MLflow; run `ablate sync {}` when the server is back",
                    unsynced, folder.name());
        }
        runs.connection().close();
    }

    private static RunStatus parentStatus(List<TrialState> ended) {
        if (ended.contains(TrialState.INTERRUPTED)) {
            return RunStatus.KILLED;
        }
        return ended.contains(TrialState.FAILED) ? RunStatus.FAILED : RunStatus.FINISHED;
    }

    private void sendLoop() {
        while (true) {
            boolean finishing = closing;
            for (LiveTrial t : live) {
                if (t.discarded) {
                    withdraw(t);
                }
                if (!t.broken && !t.discarded) {
                    send(t);
                }
                if (t.broken || t.completed || t.discarded) {
                    live.remove(t);
                }
            }
            if (finishing && live.isEmpty()) {
                return;
            }
            if (finishing && System.nanoTime() < downUntilNanos) {
                live.forEach(t -> t.giveUp("the MLflow server was unreachable"));
                live.clear();
                return;
            }
            LockSupport.parkNanos(SEND_INTERVAL_NANOS);
        }
    }

    private void send(LiveTrial t) {
        synchronized (t) { // against a move of its folder (a staged attempt committed) and a discard
            if (t.discarded) {
                return;
            }
            sendUnlocked(t);
        }
    }

    private void sendUnlocked(LiveTrial t) {
        try {
            if (t.run == null) {
                String parent = runs.parent(invocation, folder, provenance, parentParams);
                TrialRunContent content = TrialRunContent.read(t.folder);
                t.run = runs.trialRun(t.state, content, parent);
                t.state = t.state.withRuns(runs.experimentId(), parent, t.run.getRunId()).failed("incomplete");
                t.state.write(t.folder);
            }
            // read before tailing: once the end is committed, metrics.jsonl is complete (closed before the status)
            TrialState end = t.end;
            List<Metric> points;
            while (!(points = t.tail.next()).isEmpty()) {
                runs.connection().logBatch(t.run.getRunId(), points, List.of(), List.of());
            }
            if (end != null && logStillOpen(t)) {
                return; // the trial's last lines follow its committed end: upload trial.log once it is closed
            }
            if (end != null) {
                runs.complete(t.run, TrialRunContent.read(t.folder), false);
                t.state = t.state.done();
                t.state.write(t.folder);
                t.completed = true;
            }
        } catch (TrackingException e) {
            if (e.kind() == TrackingException.Kind.UNREACHABLE) {
                downUntilNanos = System.nanoTime() + OUTAGE_BACKOFF.toNanos();
                if (!warnedOutage) {
                    warnedOutage = true;
                    LOG.warn("{}; the sweep goes on, unsent trials stay unsynced until `ablate sync`", e.getMessage());
                }
            } else {
                LOG.warn("trial {}: {}", t.folder.id(), e.getMessage());
            }
            t.giveUp(e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("trial {}: cannot mirror to MLflow: {}", t.folder.id(), e.toString());
            t.giveUp(e.toString());
        }
    }

    /** Deletes the run of a discarded attempt (MLflow keeps it as deleted), so the trial has one run. */
    private void withdraw(LiveTrial t) {
        RunInfo run;
        synchronized (t) {
            run = t.run;
            t.run = null;
        }
        if (run == null) {
            return;
        }
        try {
            runs.connection().client().deleteRun(run.getRunId());
        } catch (RuntimeException e) {
            LOG.warn("trial {}: cannot withdraw the MLflow run {} of a discarded attempt: {}", t.folder.id(), run.getRunId(),
                    e.toString());
        }
    }

    /** True while the trial's log is open, for at most {@link #LOG_CLOSE_WAIT} after its end was seen. */
    private static boolean logStillOpen(LiveTrial t) {
        if (t.endSeenNanos == 0) {
            t.endSeenNanos = System.nanoTime();
        }
        return RoutingFileAppender.isOpen(t.folder.file(TrialFolder.LOG))
                && System.nanoTime() - t.endSeenNanos < LOG_CLOSE_WAIT.toNanos();
    }

    /** One trial's place in its metrics file, and its standing. */
    private final class LiveTrial implements TrialTracker {
        volatile TrialFolder folder;
        final MetricsTail tail;
        volatile SyncState state;
        volatile boolean broken;
        volatile boolean discarded;
        volatile boolean completed;
        volatile TrialState end;
        RunInfo run;
        long endSeenNanos;

        LiveTrial(TrialFolder folder, SyncState state) {
            this.folder = folder;
            this.tail = new MetricsTail(folder.file(TrialFolder.METRICS));
            this.state = state;
        }

        @Override
        public void metric(long step, String name, double value, long timestampMillis) {
            // nothing to do: the sender reads the point from metrics.jsonl
        }

        @Override
        public void ended(TrialState state) {
            MlflowTracker.this.ended.add(state);
            end = state;
            LockSupport.unpark(sender);
        }

        @Override
        public TrialFolder moving(Move move) throws IOException {
            synchronized (this) {
                TrialFolder moved = move.run();
                folder = moved;
                tail.movedTo(moved.file(TrialFolder.METRICS));
                return moved;
            }
        }

        @Override
        public void discard(String why) {
            synchronized (this) {
                discarded = true;
            }
            LockSupport.unpark(sender);
        }

        synchronized void giveUp(String why) {
            if (broken || completed) {
                return;
            }
            broken = true;
            try {
                state = state.failed(why);
                state.write(folder);
            } catch (IOException | org.ablate.store.StoreException e) {
                LOG.warn("trial {}: cannot write {}: {}", folder.id(), SyncState.FILE, e.toString());
            }
        }
    }
}
