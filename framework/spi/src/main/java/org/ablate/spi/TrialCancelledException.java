package org.ablate.spi;

/** Thrown by a task that stopped because its {@link Cancellation} was set. */
public class TrialCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrialCancelledException(String reason) {
        super(reason);
    }
}
