package org.ablate.quantizers.model;

/** Training diverged: the trial stops FAILED with the step and the loss, never a run of NaNs. */
public class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonFiniteLossException(long step, String which, double value) {
        super("non-finite " + which + " at step " + step + ": " + value);
    }
}
