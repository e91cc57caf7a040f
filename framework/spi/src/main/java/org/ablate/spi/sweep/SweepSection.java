package org.ablate.spi.sweep;

import java.util.List;
import java.util.Map;

/**
 * An experiment file's {@code sweep:} section as a sweeper reads it. Parts of it are named by
 * their path from the section: keys (strings) and list positions (integers), e.g.
 * {@code ["parameters", "lr", "values", 1]}.
 */
public interface SweepSection {

    /**
     * The section as plain values: maps in file order, lists, and strings, longs, doubles,
     * booleans or null.
     */
    Map<String, Object> values();

    /** The file's base seed ({@code seed:}, 0 when absent): what a random search samples from. */
    long seed();

    /** Where the part at {@code path} was written ("exp.yaml:12"), for a message that points at a second place. */
    String location(List<Object> path);

    /** Logs a warning located at the part at {@code path} (something accepted but ignored). */
    void warn(List<Object> path, String message);
}
