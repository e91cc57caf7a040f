package org.ablate.tracking;

import java.time.Duration;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.TrialFolder;

/**
 * Mirrors one sweep invocation somewhere besides the results store, which stays the source of
 * truth: a tracker sees each trial start (its config.json written), its metric points as they are
 * logged, and its end once the store has committed it. A tracker must never slow or fail a trial:
 * calls return at once, and a tracker that cannot keep up records what it missed for a later sync.
 */
public interface Tracker extends AutoCloseable {

    /** A tracker that records nothing (no tracking URI configured). */
    Tracker NONE = new Tracker() {
        @Override
        public TrialTracker trialStarted(TrialSpec spec, TrialFolder folder) {
            return TrialTracker.NONE;
        }

        @Override
        public void close(Duration wait) {
        }
    };

    TrialTracker trialStarted(TrialSpec spec, TrialFolder folder);

    /** Ends the invocation, waiting at most {@code wait} for what is still queued. */
    void close(Duration wait);

    @Override
    default void close() {
        close(Duration.ofMinutes(2));
    }
}
