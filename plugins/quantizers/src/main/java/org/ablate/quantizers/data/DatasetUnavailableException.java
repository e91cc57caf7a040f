package org.ablate.quantizers.data;

/**
 * A dataset's files are missing or unreadable. Its message is one line that says where the
 * loader looked and what to install or fix, so a CLI can print it as-is and a task can catch it to
 * fall back (e.g. to {@link SyntheticImages}).
 */
public class DatasetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetUnavailableException(String message) {
        super(message);
    }

    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
