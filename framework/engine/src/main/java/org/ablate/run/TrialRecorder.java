package org.ablate.run;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.AtomicFiles;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;

/**
 * Writes a trial's config.json and status. The first terminal state wins: once the trial is
 * recorded FINISHED, FAILED or INTERRUPTED (by its own thread, the timeout watchdog or the Ctrl-C
 * hook), later attempts to record another end are ignored, so the status never flips.
 */
final class TrialRecorder {

    private final TrialSpec spec;
    private final TrialFolder folder;
    private final Map<String, Object> config;
    private final Instant started;
    private TrialOutcome outcome;

    TrialRecorder(TrialSpec spec, TrialFolder folder, String experiment, Map<String, Object> provenance) {
        this.spec = spec;
        this.folder = folder;
        this.started = Instant.now();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trial_id", spec.id());
        c.put("experiment", experiment);
        c.put("task", spec.task());
        c.put("seed", spec.seed());
        c.put("params", spec.params().asMap());
        if (!spec.params().expressionValues().isEmpty()) {
            c.put("expression_values", spec.params().expressionValues());
        }
        c.put("varying", spec.varying());
        c.put("name", spec.displayName());
        c.put("provenance", provenance);
        c.put("started_at", started.toString());
        c.put("ended_at", null);
        this.config = c;
    }

    void start() throws IOException {
        Json.writeAtomically(folder.file(TrialFolder.CONFIG), config);
        AtomicFiles.writeString(folder.file(TrialFolder.STATUS),
                TrialStatus.running(ProcessHandle.current().pid(), org.ablate.provenance.Provenance.hostName()).render());
    }

    /** Records the end; returns the outcome that stands (this one, or an earlier one). */
    synchronized TrialOutcome end(TrialState state, String reason, String stackTrace, Map<String, Double> summary)
            throws IOException {
        if (outcome != null) {
            return outcome;
        }
        Instant ended = Instant.now();
        Duration duration = Duration.between(started, ended);
        config.put("ended_at", ended.toString());
        config.put("duration_s", duration.toMillis() / 1000.0);
        config.put("state", state.name());
        Json.writeAtomically(folder.file(TrialFolder.CONFIG), config);
        if (state == TrialState.FINISHED) {
            Json.writeAtomically(folder.file(TrialFolder.SUMMARY), summary);
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
