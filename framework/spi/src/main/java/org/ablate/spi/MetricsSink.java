package org.ablate.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/** Where a trial reports what it measured. Thread-safe. */
public interface MetricsSink {

    /** A point of a metric's history. Names use '/' namespaces: {@code train/loss}, {@code eval/mse}. */
    void log(long step, String name, double value);

    /**
     * A point measured at {@code timestampMillis} (epoch milliseconds) rather than now: for points
     * relayed from another process ({@link org.ablate.spi.task.ExternalProgram}), which keep the time
     * the program measured them.
     */
    default void log(long step, String name, double value, long timestampMillis) {
        log(step, name, value);
    }

    default void log(long step, Map<String, Double> values) {
        values.forEach((name, value) -> log(step, name, value));
    }

    /** A final value, written to summary.json. */
    void summary(String name, double value);

    /** Writes an artifact file atomically under the trial's artifacts folder and returns its path. */
    Path artifact(String relativePath, ArtifactWriter writer) throws IOException;

    default Path artifact(String relativePath, byte[] content) throws IOException {
        return artifact(relativePath, out -> out.write(content));
    }

    /** Fills an artifact's bytes. */
    @FunctionalInterface
    interface ArtifactWriter {
        void write(OutputStream out) throws IOException;
    }
}
