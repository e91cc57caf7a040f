package org.ablate.run;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.store.Json;
import org.ablate.store.StoreException;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.tracking.Tracker;
import org.ablate.tracking.TrialTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of a trial that runs in another process and writes its own folder: the display
 * follows its progress file, the tracker starts once its config.json is there (and then tails its
 * metrics), and its end is read from the folder, or recorded here when the process died or was
 * stopped before writing one.
 */
final class ExternalTrial implements RunningTrial {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalTrial.class);

    private final TrialSpec spec;
    private final TrialFolder folder;
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

    ExternalTrial(TrialSpec spec, TrialFolder folder, String experiment, Map<String, Object> provenance, Tracker tracker,
                  java.time.InstantSource clock) {
        this.clock = clock;
        this.spec = spec;
        this.folder = folder;
        this.experiment = experiment;
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
        ProgressFile.read(folder, progress);
        startTracking();
    }

    /** Whether this attempt has recorded its start: the earlier attempt was moved aside, so a config.json is this one's. */
    boolean started() {
        return Files.isRegularFile(folder.file(TrialFolder.CONFIG));
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
        TrialOutcome outcome;
        Optional<TrialStatus> status = readStatus();
        boolean killedMidTrial = end.kind() == TrialEnd.Kind.KILLED
                && status.map(s -> s.state() == TrialState.INTERRUPTED).orElse(false);
        if (status.isPresent() && status.get().state() != TrialState.RUNNING && !killedMidTrial) {
            outcome = fromFolder(status.get());
        } else if (end.kind() == TrialEnd.Kind.RECORDED) {
            outcome = record(TrialState.FAILED, "the trial's process ended without recording its end", end.detail());
        } else {
            outcome = record(end.kind() == TrialEnd.Kind.INTERRUPTED ? TrialState.INTERRUPTED : TrialState.FAILED,
                    end.reason(), end.detail());
        }
        startTracking();
        done.complete(outcome);
        return outcome;
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
