package org.ablate.spi;

/** Lets a running trial say how far it is; the runner shows it as a bar or as log lines. */
public interface ProgressReporter {

    /** Declares the amount of work, e.g. training steps. */
    void total(long total);

    /** Reports that {@code done} units of the total are complete. */
    void update(long done);

    /** A short status, e.g. "eval" or "loss 0.031". */
    void message(String message);
}
