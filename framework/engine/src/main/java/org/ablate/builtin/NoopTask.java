package org.ablate.builtin;

import java.util.Map;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/** A task that only logs: what remains of a trial's time is the framework's. */
public final class NoopTask implements Task {

    static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("points").defaultValue(0).range(0, 100_000_000).doc("Metric points to log."));
    static final MetricSchema METRICS = MetricSchema.summary("points").steps("noop/value");

    @Override
    public Map<String, Double> run(TrialContext context) {
        long points = context.params().getLong("points");
        for (long i = 0; i < points; i++) {
            context.metrics().log(i, "noop/value", i);
        }
        return Map.of("points", (double) points);
    }
}
