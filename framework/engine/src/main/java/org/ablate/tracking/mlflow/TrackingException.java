package org.ablate.tracking.mlflow;

/**
 * A request to the tracking server failed. {@link #kind()} tells an outage (retry later) from a
 * refusal (fix the configuration). Messages never contain credentials.
 */
public final class TrackingException extends RuntimeException {

    /** Why the request failed. */
    public enum Kind {
        /** Connection refused or timed out, or a 5xx: the server is down or overloaded. */
        UNREACHABLE,
        /** 401 or 403: the credentials are missing or wrong. */
        UNAUTHORIZED,
        /** Any other refusal (a 4xx): the request itself was wrong. */
        REJECTED
    }

    private final Kind kind;

    public TrackingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
