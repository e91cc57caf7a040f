package org.ablate.spi;

import java.io.PrintWriter;

/**
 * A component kind for {@code ablate bench <name> [key=value…]}: measures speed or memory and
 * prints the figures. Benchmarks are commands, never timed unit tests.
 */
public interface Benchmark {

    /** Runs with validated parameters and prints human-readable figures to {@code out}. */
    void run(Parameters params, PrintWriter out) throws Exception;
}
