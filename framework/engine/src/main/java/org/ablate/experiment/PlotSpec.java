package org.ablate.experiment;

import java.util.Map;
import org.ablate.config.Origin;

/**
 * One plot the experiment file asks for: {@code metric} (a summary metric, or with
 * {@code x: step} a metric logged during training) against a swept parameter or the step, one
 * line per value of {@code group}, over the configurations selected by {@code where}, with the
 * 95% confidence band over seeds. {@code yRange} (optional) fixes the y axis and clips the bands
 * to it: a rate's t-interval over few seeds can reach below 0 or above 1.
 */
public record PlotSpec(String metric, String x, String group, Map<String, Object> where, boolean logX, boolean logY,
                       String title, String xLabel, String yLabel, Long maxStep, Range yRange, Origin origin,
                       Map<String, Origin> keyOrigins) {

    public static final String STEP = "step";

    public PlotSpec {
        keyOrigins = keyOrigins == null ? Map.of() : Map.copyOf(keyOrigins);
    }

    /** A plot whose keys are located by the plot's own line. */
    public PlotSpec(String metric, String x, String group, Map<String, Object> where, boolean logX, boolean logY,
                    String title, String xLabel, String yLabel, Long maxStep, Range yRange, Origin origin) {
        this(metric, x, group, where, logX, logY, title, xLabel, yLabel, maxStep, yRange, origin, Map.of());
    }

    /** Where a key ("metric", "where.sampler") was written, else the plot's own origin. */
    public Origin origin(String key) {
        return keyOrigins.getOrDefault(key, origin);
    }

    /** A closed axis range, {@code min < max}. */
    public record Range(double min, double max) {

        public double clip(double v) {
            return Math.max(min, Math.min(max, v));
        }
    }

    public boolean overSteps() {
        return STEP.equals(x);
    }
}
