package org.ablate.config;

import java.util.List;

/**
 * Bad user input in an experiment file or override. Its message is one line:
 * {@code file:line: key: what is wrong (accepted values)}. The CLI exits with code 2.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Origin origin;
    private final String problem;

    public ConfigException(Origin origin, String problem) {
        super(origin + ": " + problem);
        this.origin = origin;
        this.problem = problem;
    }

    /** An error about a whole file (unreadable, not YAML), with no key to name. */
    public ConfigException(String location, String problem) {
        super(location + ": " + problem);
        this.origin = null;
        this.problem = problem;
    }

    /** Keeps another exception's exact message and origin (for {@link ConfigErrors}). */
    protected ConfigException(Origin origin, String problem, String message) {
        super(message);
        this.origin = origin;
        this.problem = problem;
    }

    /** Every problem this exception reports, each one line: itself, or several from {@link ConfigErrors}. */
    public List<ConfigException> all() {
        return List.of(this);
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    public Origin origin() {
        return origin;
    }
}
