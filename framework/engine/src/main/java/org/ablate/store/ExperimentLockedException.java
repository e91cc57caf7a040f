package org.ablate.store;

/** Another process is running the same experiment into the same results folder. */
public class ExperimentLockedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExperimentLockedException(String message) {
        super(message);
    }
}
