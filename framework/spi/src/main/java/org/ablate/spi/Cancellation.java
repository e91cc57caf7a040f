package org.ablate.spi;

/**
 * Set when the trial must stop: its timeout passed or the user pressed Ctrl-C. Long loops should
 * call {@link #throwIfCancelled()} now and then; the runner also interrupts the trial's thread.
 */
public interface Cancellation {

    boolean isCancelled();

    /** Why the trial was cancelled, or null. */
    String reason();

    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new TrialCancelledException(reason());
        }
    }
}
