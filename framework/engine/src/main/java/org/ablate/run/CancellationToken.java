package org.ablate.run;

import org.ablate.spi.Cancellation;

/** The runner's side of {@link Cancellation}: set once, by a timeout or by the user. */
final class CancellationToken implements Cancellation {

    /** Why a trial was stopped; decides whether it ends FAILED or INTERRUPTED. */
    enum Cause { TIMEOUT, USER }

    private volatile String reason;
    private volatile Cause cause;

    /** @return true if this call set the token (the first cancellation wins) */
    synchronized boolean cancel(Cause cause, String reason) {
        if (this.reason != null) {
            return false;
        }
        this.cause = cause;
        this.reason = reason;
        return true;
    }

    @Override
    public boolean isCancelled() {
        return reason != null;
    }

    @Override
    public String reason() {
        return reason;
    }

    Cause cause() {
        return cause;
    }
}
