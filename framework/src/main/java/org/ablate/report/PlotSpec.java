package org.ablate.report;

import java.util.Map;
import org.ablate.config.Origin;

/**
 * One plot the experiment file asks for: {@code metric} (a summary metric, or with
 * {@code x: step} a metric logged during training) against a swept parameter or the step, one
 * line per value of {@code group}, over the configurations selected by {@code where}, with the
 * 95% confidence band over seeds.
 */
public record PlotSpec(String metric, String x, String group, Map<String, Object> where, boolean logX, boolean logY,
                       String title, String xLabel, String yLabel, Long maxStep, Origin origin) {

    public static final String STEP = "step";

    public boolean overSteps() {
        return STEP.equals(x);
    }
}
