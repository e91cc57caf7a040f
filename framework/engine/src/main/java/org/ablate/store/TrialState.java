package org.ablate.store;

/** The life of a trial as its {@code status} file records it. */
public enum TrialState {
    RUNNING,
    FINISHED,
    FAILED,
    INTERRUPTED;

    /** Only a FINISHED trial is skipped on resume; the others run again. */
    public boolean isDone() {
        return this == FINISHED;
    }
}
