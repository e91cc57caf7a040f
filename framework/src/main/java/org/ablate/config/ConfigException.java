package org.ablate.config;

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

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }

    public Origin origin() {
        return origin;
    }
}
