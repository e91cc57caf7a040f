package org.ablate.example;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * Estimates pi as 4 × the fraction of points in the unit square that fall in the quarter disc.
 * At checkpoints n = 2^k it logs the estimate and its absolute error against the sample count
 * (the step), so a sweep over samplers shows their convergence rates; the summary holds the final
 * error, the standard error of the estimate and the log-log slope of error against n.
 */
public final class MonteCarloPiTask implements Task {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("samples").defaultValue(1_000_000).range(16, 1L << 40)
                    .doc("Points drawn in total."),
            Param.choice("sampler", "uniform", "antithetic", "halton").defaultValue("uniform")
                    .doc("How points are drawn: plain Monte Carlo, antithetic pairs, or randomly shifted Halton."),
            Param.integer("first_checkpoint").defaultValue(64).range(1, 1L << 40)
                    .doc("The first sample count at which metrics are logged; then every doubling."));
    /** What {@link #run} logs; error_slope only when two checkpoints had a non-zero error. */
    public static final MetricSchema METRICS = MetricSchema
            .summary("estimate", "abs_error", "mc_std_error", "error_slope", "samples_per_s")
            .steps("estimate/pi", "error/abs");

    @Override
    public Map<String, Double> run(TrialContext context) {
        long samples = context.params().getLong("samples");
        PointSampler sampler = context.params().getEnum("sampler", PointSampler.class);
        long checkpoint = Math.min(samples, context.params().getLong("first_checkpoint"));
        PointSampler.Source source = sampler.start(context.random("points"));
        context.progress().total(samples);

        double[] xy = new double[2];
        long inside = 0;
        double sumLogN = 0;
        double sumLogErr = 0;
        double sumLogN2 = 0;
        double sumLogNLogErr = 0;
        int points = 0;
        long started = System.nanoTime();
        for (long n = 1; n <= samples; n++) {
            source.next(xy);
            if (xy[0] * xy[0] + xy[1] * xy[1] <= 1.0) {
                inside++;
            }
            if (n == checkpoint || n == samples) {
                double estimate = 4.0 * inside / n;
                double error = Math.abs(estimate - Math.PI);
                context.metrics().log(n, "estimate/pi", estimate);
                context.metrics().log(n, "error/abs", error);
                if (error > 0) {
                    double x = Math.log(n);
                    double y = Math.log(error);
                    sumLogN += x;
                    sumLogErr += y;
                    sumLogN2 += x * x;
                    sumLogNLogErr += x * y;
                    points++;
                }
                context.progress().update(n);
                context.progress().message(String.format(Locale.ROOT, "pi~%.5f", estimate));
                context.cancellation().throwIfCancelled();
                checkpoint = Math.min(samples, checkpoint * 2);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double p = (double) inside / samples;
        Map<String, Double> summary = new LinkedHashMap<>();
        summary.put("estimate", 4.0 * p);
        summary.put("abs_error", Math.abs(4.0 * p - Math.PI));
        // binomial standard error; for the correlated samplers it is the plain-MC reference
        summary.put("mc_std_error", 4.0 * Math.sqrt(p * (1 - p) / samples));
        if (points >= 3) {
            summary.put("error_slope", (points * sumLogNLogErr - sumLogN * sumLogErr)
                    / (points * sumLogN2 - sumLogN * sumLogN));
        }
        summary.put("samples_per_s", samples / Math.max(seconds, 1e-9));
        try {
            context.metrics().artifact("estimate.txt", String.format(Locale.ROOT,
                    "sampler=%s samples=%d seed=%d estimate=%.10f%n", sampler, samples, context.seed(), 4.0 * p)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return summary;
    }
}
