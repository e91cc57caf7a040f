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

    private TrialRecorder(TrialSpec spec, TrialFolder folder, TrialConfig config, Instant started, InstantSource clock) {
        this.spec = spec;
        this.folder = folder;
        this.config = config;
        this.started = started;
        this.clock = clock;
    }

    /**
     * The recorder of a trial that ran in another process which died or was stopped before
     * recording its end: its config.json is kept when it wrote one, else written now.
     */
    static TrialRecorder adopting(TrialSpec spec, TrialFolder folder, String experiment, Map<String, Object> provenance,
                                  InstantSource clock) throws IOException {
        if (java.nio.file.Files.isRegularFile(folder.file(TrialFolder.CONFIG))) {
            try {
                TrialConfig written = TrialConfig.read(folder.file(TrialFolder.CONFIG), spec.id());
                Instant started = Instant.parse(String.valueOf(written.startedAt()));
                return new TrialRecorder(spec, folder, written, started, clock);
            } catch (IOException | RuntimeException unreadable) {
                // cut off mid-write by the kill: written again below from the plan
            }
        }
        TrialMetricsWriter.ensureFolders(folder);
        TrialRecorder fresh = new TrialRecorder(spec, folder, experiment, provenance, clock);
        fresh.config.write(folder.file(TrialFolder.CONFIG));
        return fresh;
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
