package org.ablate.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A FINISHED trial's {@code summary.json}: each summary metric's final value, in the order the
 * task declared them. Non-finite values are written as the strings "NaN", "Infinity",
 * "-Infinity" (see {@link Json}) and read back as those doubles.
 */
public record TrialSummary(Map<String, Double> metrics) {

    public TrialSummary {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The summary from a file's JSON object, or a {@link StoreDamage} naming the first value that is not a number. */
    public static TrialSummary fromJson(Path file, Map<String, Object> json) throws StoreDamage {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (!Json.isNumber(e.getValue())) {
                throw new StoreDamage(file, "'" + e.getKey() + "' is " + Json.line(e.getValue())
                        + ", expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
            }
            out.put(e.getKey(), Json.toDouble(e.getValue()));
        }
        return new TrialSummary(out);
    }

    public static TrialSummary read(Path file) throws IOException {
        return fromJson(file, Json.readObject(file));
    }

    public void write(Path file) throws IOException {
        Json.writeAtomically(file, metrics);
    }
}
