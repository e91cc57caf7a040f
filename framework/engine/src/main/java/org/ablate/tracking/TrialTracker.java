package org.ablate.tracking;

import java.io.IOException;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/** One trial as a tracker sees it. Calls come from the trial's thread and must not block. */
public interface TrialTracker {

    TrialTracker NONE = new TrialTracker() {
        @Override
        public void metric(long step, String name, double value, long timestampMillis) {
        }

        @Override
        public void ended(TrialState state) {
        }
    };

    /** A metric point, already appended to metrics.jsonl with the same timestamp. */
    void metric(long step, String name, double value, long timestampMillis);

    /** The trial's end is committed to its folder (status written last). */
    void ended(TrialState state);

    /**
     * The followed folder (a staged attempt) is about to be committed elsewhere: runs the move while
     * nothing of this tracker writes or reads the folder, then follows the folder the move returns.
     */
    default TrialFolder moving(Move move) throws IOException {
        return move.run();
    }

    /**
     * The followed attempt will never be committed (lost with its executor, another attempt runs the
     * trial): what was mirrored of it is withdrawn, so the trial ends up with one mirrored run.
     */
    default void discard(String why) {
    }

    /** A move of the followed folder. */
    @FunctionalInterface
    interface Move {
        TrialFolder run() throws IOException;
    }
}
