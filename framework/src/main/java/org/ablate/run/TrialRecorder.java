package org.ablate.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.AtomicFiles;
import org.ablate.store.TrialConfig;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.store.TrialSummary;

/**
 * Writes a trial's config.json and status. The first terminal state wins: once the trial is
 * recorded FINISHED, FAILED or INTERRUPTED (by its own thread, the timeout watchdog or the Ctrl-C
 * hook), later attempts to record another end are ignored, so the status never flips.
 */
final class TrialRecorder {

    private final TrialSpec spec;
    private final TrialFolder folder;
    private final InstantSource clock;
    private final Instant started;
    private volatile TrialConfig config; // replaced by end(), which the watchdog or the Ctrl-C hook may call
    private TrialOutcome outcome;

    TrialRecorder(TrialSpec spec, TrialFolder folder, String experiment, Map<String, Object> provenance,
                  InstantSource clock) {
        this.spec = spec;
        this.folder = folder;
        this.clock = clock;
        this.started = clock.instant();
        this.config = TrialConfig.started(spec.id(), experiment, spec.task(), spec.seed(), spec.params().asMap(),
                spec.params().expressionValues(), spec.varying(), spec.displayName(), provenance, started.toString());
    }

    void start() throws IOException {
        config.write(folder.file(TrialFolder.CONFIG));
        AtomicFiles.writeString(folder.file(TrialFolder.STATUS),
                TrialStatus.running(ProcessHandle.current().pid(), org.ablate.provenance.Provenance.hostName()).render());
    }

    /** Records the end; returns the outcome that stands (this one, or an earlier one). */
    synchronized TrialOutcome end(TrialState state, String reason, String stackTrace, Map<String, Double> summary)
            throws IOException {
        if (outcome != null) {
            return outcome;
        }
        Instant ended = clock.instant();
        Duration duration = Duration.between(started, ended);
        config = config.ended(ended.toString(), duration.toMillis() / 1000.0, state);
        config.write(folder.file(TrialFolder.CONFIG));
        if (state == TrialState.FINISHED) {
            new TrialSummary(summary).write(folder.file(TrialFolder.SUMMARY));
        }
        // status last: it is the commit point that resume trusts
        TrialStatus status = state == TrialState.FINISHED ? TrialStatus.finished()
                : TrialStatus.ended(state, reason, stackTrace);
        AtomicFiles.writeString(folder.file(TrialFolder.STATUS), status.render());
        outcome = new TrialOutcome(spec, state, state == TrialState.FINISHED ? "" : reason, duration, summary);
        return outcome;
    }

    /** When the trial started, for an outcome that could not be recorded. */
    Instant started() {
        return started;
    }

    synchronized TrialOutcome outcome() {
        return outcome;
    }
}
