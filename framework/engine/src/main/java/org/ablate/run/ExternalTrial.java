package org.ablate.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.launch.TrialEnd;
import java.util.List;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.TrialCommit;
import org.ablate.store.StoreException;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.tracking.Tracker;
import org.ablate.tracking.TrialTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of a trial that runs in another process and writes its own folder, or a staged
 * attempt at it ({@code run-trial --attempt}): the display follows its progress file, the tracker
 * starts once its config.json is there (and then tails its metrics), and its end is read from the
 * folder, or recorded here when the process died or was stopped before writing one. A staged
 * attempt is followed while it runs (the newest one that has started, when a launcher retries) and
 * committed here at its end ({@link TrialCommit}): exactly one attempt becomes the trial's folder.
 */
final class ExternalTrial implements RunningTrial {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalTrial.class);

    private final TrialSpec spec;
    private final ExperimentFolder experimentFolder;
    /** The folder followed: the trial's own, or the staged attempt now running; the committed one once ended. */
    private volatile TrialFolder folder;
    /** The folders followed before {@link #folder}. */
    private final java.util.Set<Path> left = new java.util.HashSet<>();
    private final String experiment;
    private final Map<String, Object> provenance;
    private final Tracker tracker;
    private final java.time.InstantSource clock;
    private final TrialProgress progress = new TrialProgress();
    private final CompletableFuture<TrialOutcome> done = new CompletableFuture<>();
    /** Completed once the sweep has counted the outcome (done() completes before that). */
    private final CompletableFuture<Void> counted = new CompletableFuture<>();
    private TrialTracker trialTracker = TrialTracker.NONE;
    private boolean tracked;
    private volatile StoreException storeFailure;

    ExternalTrial(TrialSpec spec, ExperimentFolder experimentFolder, Map<String, Object> provenance, Tracker tracker,
                  java.time.InstantSource clock) {
        this.clock = clock;
        this.spec = spec;
        this.experimentFolder = experimentFolder;
        this.folder = experimentFolder.trial(spec.id());
        this.experiment = experimentFolder.name();
        this.provenance = provenance;
        this.tracker = tracker;
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

    CompletableFuture<Void> counted() {
        return counted;
    }

    StoreException storeFailure() {
        return storeFailure;
    }

    synchronized TrialTracker trialTracker() {
        return trialTracker;
    }

    /** Called every second while it runs: progress, and the tracker once the trial has recorded its start. */
    synchronized void poll() {
        if (done.isDone()) {
            return;
        }
        followNewestAttempt();
        ProgressFile.read(folder, progress);
        startTracking();
    }

    /** Whether this attempt has recorded its start: the earlier attempt was moved aside, so a config.json is this one's. */
    synchronized boolean started() {
        if (!done.isDone()) {
            followNewestAttempt();
        }
        return Files.isRegularFile(folder.file(TrialFolder.CONFIG));
    }

    /**
     * Switches to a staged attempt not followed before, among those that have started (a retry after
     * the followed one was lost; the one active last if several); what the tracker mirrored of the
     * one left is withdrawn. Never back to one it left: a lost attempt's folder may still change.
     */
    private void followNewestAttempt() {
        List<TrialFolder> attempts;
        try {
            attempts = experimentFolder.stagedAttempts(spec.id());
        } catch (IOException | RuntimeException e) {
            return; // listed again at the next poll
        }
        Optional<TrialFolder> newest = attempts.stream()
                .filter(a -> !left.contains(a.dir()) && !a.dir().equals(folder.dir()))
                .filter(a -> Files.isRegularFile(a.file(TrialFolder.CONFIG)))
                .max(java.util.Comparator.comparing(ExternalTrial::lastActive));
        if (newest.isPresent()) {
            follow(newest.get(), "a later attempt of the trial started");
        }
    }

    /** The token of the staged attempt followed (or, before one has started, the last one staged). */
    private Optional<String> stagedAttemptFollowed() {
        Path parent = folder.dir().getParent();
        if (parent != null && parent.getParent() != null
                && parent.getParent().getFileName().toString().equals(ExperimentFolder.STAGING)) {
            return Optional.of(folder.dir().getFileName().toString());
        }
        try {
            List<TrialFolder> staged = experimentFolder.stagedAttempts(spec.id());
            return staged.isEmpty() ? Optional.empty()
                    : Optional.of(staged.get(staged.size() - 1).dir().getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void follow(TrialFolder attempt, String why) {
        left.add(folder.dir());
        if (tracked) {
            trialTracker.discard(why);
            trialTracker = TrialTracker.NONE;
            tracked = false;
        }
        folder = attempt;
    }

    /** When the attempt last made a file (its progress file is replaced every half second while it runs). */
    private static java.nio.file.attribute.FileTime lastActive(TrialFolder attempt) {
        try {
            return Files.getLastModifiedTime(attempt.dir());
        } catch (IOException gone) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    private void startTracking() {
        if (!tracked && Files.isRegularFile(folder.file(TrialFolder.CONFIG))) {
            tracked = true;
            trialTracker = tracker.trialStarted(spec, folder);
        }
    }

    synchronized void progress(long doneSteps, long total, String message) {
        progress.total(total);
        progress.update(doneSteps);
        progress.message(message);
    }

    /** Records the end the launcher reported, unless the folder already holds one; the first end stands. */
    synchronized TrialOutcome end(TrialEnd end) {
        if (done.isDone()) {
            return done.join();
        }
        if (end.attempt().isEmpty()) {
            // the launcher lost track of the attempt (its job failed, Ctrl-C): the one followed, if it was staged
            Optional<String> followed = stagedAttemptFollowed();
            if (followed.isPresent()) {
                end = end.ofAttempt(followed.get());
            }
        }
        TrialOutcome outcome = end.attempt().isEmpty() ? endInPlace(end) : endStaged(end);
        startTracking();
        done.complete(outcome);
        return outcome;
    }

    /**
     * A staged attempt ended: its end is recorded into it when it wrote none, then it is committed
     * (or archived, when another attempt was committed FINISHED first) and the outcome read from the
     * trial's committed folder.
     */
    private TrialOutcome endStaged(TrialEnd end) {
        TrialFolder attempt;
        try {
            attempt = experimentFolder.staged(spec.id(), end.attempt());
        } catch (IllegalArgumentException badToken) {
            return record(TrialState.FAILED, "the launcher reported a bad attempt token: " + badToken.getMessage(), end.detail());
        }
        TrialCommit commit = new TrialCommit(experimentFolder);
        TrialFolder committed = experimentFolder.trial(spec.id());
        if (committed.isFinished()) {
            // a duplicate attempt (it exited ALREADY_COMMITTED, or ran alongside the committed one): the commit stands
            follow(committed, "the trial was already committed by another attempt");
            tracked = true; // mirrored by whoever committed it
            try {
                commit.discard(spec.id(), end.attempt());
            } catch (IOException | RuntimeException e) {
                LOG.warn("trial {}: cannot archive the duplicate attempt {}: {}", spec.id(), end.attempt(), e.toString());
            }
            return fromFolder(committed.status().orElseThrow());
        }
        if (!attempt.exists()) {
            // the attempt's process wrote nothing (it could not start, or died at once): record the end in place
            if (!attempt.dir().equals(folder.dir())) {
                follow(experimentFolder.trial(spec.id()), "the reported attempt left no folder");
            }
            return endInPlace(end);
        }
        if (!attempt.dir().equals(folder.dir())) {
            follow(attempt, "another attempt of the trial was reported ended");
        }
        Optional<TrialStatus> status = readStatus();
        if (status.isEmpty() || status.get().state() == TrialState.RUNNING || killedMidTrial(end, status)) {
            String reason = end.kind() == TrialEnd.Kind.RECORDED ? "the trial's process ended without recording its end"
                    : end.reason();
            TrialState state = end.kind() == TrialEnd.Kind.INTERRUPTED ? TrialState.INTERRUPTED : TrialState.FAILED;
            record(state, reason, end.detail());
        }
        return commitAndRead(commit, end);
    }

    private TrialOutcome commitAndRead(TrialCommit commit, TrialEnd end) {
        try {
            startTracking();
            // the tracker follows the attempt: it is moved while the tracker neither reads nor writes it
            folder = trialTracker.moving(() -> commit.commit(spec.id(), end.attempt()).trial());
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreException s) {
                storeFailure = s;
            }
            LOG.error("trial {}: cannot commit attempt {}: {}", spec.id(), end.attempt(), e.toString());
            return new TrialOutcome(spec, TrialState.FAILED, "cannot commit attempt " + end.attempt() + ": " + e.getMessage(),
                    Duration.ZERO, Map.of());
        }
        Optional<TrialStatus> committed = readStatus();
        return committed.isPresent() ? fromFolder(committed.get())
                : new TrialOutcome(spec, TrialState.FAILED, "the committed folder holds no status", Duration.ZERO, Map.of());
    }

    private TrialOutcome endInPlace(TrialEnd end) {
        TrialOutcome outcome;
        Optional<TrialStatus> status = readStatus();
        if (status.isPresent() && status.get().state() != TrialState.RUNNING && !killedMidTrial(end, status)) {
            outcome = fromFolder(status.get());
        } else if (end.kind() == TrialEnd.Kind.RECORDED) {
            outcome = record(TrialState.FAILED, "the trial's process ended without recording its end", end.detail());
        } else {
            outcome = record(end.kind() == TrialEnd.Kind.INTERRUPTED ? TrialState.INTERRUPTED : TrialState.FAILED,
                    end.reason(), end.detail());
        }
        return outcome;
    }

    /**
     * A scheduler's kill (time limit, cancel) reaches the trial as SIGTERM, which it records as
     * INTERRUPTED; the scheduler's reason is the truer record, and a FAILED one.
     */
    private static boolean killedMidTrial(TrialEnd end, Optional<TrialStatus> status) {
        return end.kind() == TrialEnd.Kind.KILLED && status.map(s -> s.state() == TrialState.INTERRUPTED).orElse(false);
    }

    private Optional<TrialStatus> readStatus() {
        try {
            return folder.status();
        } catch (RuntimeException damaged) {
            return Optional.empty(); // cut off by a kill: the end is recorded again here
        }
    }

    private TrialOutcome fromFolder(TrialStatus status) {
        Map<String, Double> summary = new LinkedHashMap<>();
        Duration duration = Duration.ZERO;
        try {
            if (status.state() == TrialState.FINISHED) {
                folder.summary().forEach((k, v) -> summary.put(k, v == null ? null : Json.toDouble(v)));
            }
            Object seconds = folder.config().get("duration_s");
            if (seconds instanceof Number n) {
                duration = Duration.ofMillis(Math.round(n.doubleValue() * 1000));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("trial {}: cannot read its recorded end in {}: {}", spec.id(), folder.dir(), e.toString());
        }
        return new TrialOutcome(spec, status.state(), status.state() == TrialState.FINISHED ? "" : status.reason(),
                duration, summary);
    }

    private TrialOutcome record(TrialState state, String reason, String detail) {
        if (state == TrialState.FAILED) {
            LOG.warn("trial {} FAILED ({}): {}", spec.id(), spec.displayName(), reason);
        } else {
            LOG.info("trial {} {}: {}", spec.id(), state, reason);
        }
        try {
            return TrialRecorder.adopting(spec, folder, experiment, provenance, clock).end(state, reason, detail, Map.of());
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreException s) {
                storeFailure = s;
            }
            LOG.error("trial {}: cannot record its end in {}: {}", spec.id(), folder.dir(), e.getMessage());
            return new TrialOutcome(spec, state, reason, Duration.ZERO, Map.of());
        }
    }
}
