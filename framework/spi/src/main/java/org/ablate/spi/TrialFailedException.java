package org.ablate.spi;

/**
 * Ends a trial FAILED with this one-line reason, and a detail (e.g. the tail of a program's stderr)
 * kept with the status where a stack trace would go: for failures whose cause is not in Java code.
 */
public class TrialFailedException extends RuntimeException {

    private final String detail;

    public TrialFailedException(String reason, String detail) {
        super(reason);
        this.detail = detail == null ? "" : detail;
    }

    /** What helps find the cause; may span lines. */
    public String detail() {
        return detail;
    }
}
