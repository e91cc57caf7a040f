package org.ablate.tracking;

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
}
