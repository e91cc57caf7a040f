package org.ablate.sketches.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.sketches.spi.Sketch;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * The smallest m at which a sketch's failure rate at ε drops to a target, found by bisection
 * over a geometric grid of m between two rules in n and d (the failure rate falls with m). The
 * summary compares it with the theory's shape d·log³n (ε and δ fixed, so constants cancel when
 * n and d vary). Each probed m is logged (step = probe) with its failure rate.
 */
public final class MinRowsTask implements Task {

    public static final ParameterSchema SCHEMA;
    public static final MetricSchema METRICS = MetricSchema
            .summary("reached", "m_min", "m_min_over_d", "m_min_over_d_log3n", "probes")
            .steps("search/m", "search/failure_rate");

    static {
        List<Param> params = new ArrayList<>(List.of(LinfProblem.commonParameters()));
        params.add(Param.real("target_failure").defaultValue(0.1).range(0, 1).doc("Failure rate to reach."));
        params.add(Param.expression("m_low", "n", "d").defaultValue("d").doc("Smallest m tried."));
        params.add(Param.expression("m_high", "n", "d").defaultValue("64 * d").doc("Largest m tried."));
        params.add(Param.real("ratio").defaultValue(1.25).range(1.01, 4).doc("Ratio between consecutive m of the grid."));
        SCHEMA = ParameterSchema.of(params.toArray(Param[]::new));
    }

    @Override
    public Map<String, Double> run(TrialContext context) {
        Parameters p = context.params();
        LinfProblem problem = LinfProblem.create(context);
        int low = problem.rows(p.get("m_low"), "m_low");
        int high = problem.rows(p.get("m_high"), "m_high");
        if (high < low) {
            throw new IllegalArgumentException("m_high gives " + high + " rows, fewer than m_low's " + low);
        }
        List<Integer> grid = new ArrayList<>();
        for (double m = low; m < high; m *= p.getDouble("ratio")) {
            int r = (int) Math.ceil(m);
            if (grid.isEmpty() || r > grid.get(grid.size() - 1)) {
                grid.add(r);
            }
        }
        grid.add(high);
        Sketch sketch = context.component("sketch", Sketch.class);
        double target = p.getDouble("target_failure");
        int draws = p.getInt("draws");
        double epsilon = p.getDouble("epsilon");
        context.progress().total((long) Math.ceil(Math.log(grid.size()) / Math.log(2)) + 1);

        Map<Integer, Double> rates = new LinkedHashMap<>();
        int lo = 0;
        int hi = grid.size() - 1;
        int probe = 0;
        // invariant: every index above hi reaches the target if any does
        Integer found = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int m = grid.get(mid);
            double rate = failureRate(problem, sketch, m, draws, epsilon, context);
            rates.put(m, rate);
            context.metrics().log(probe, "search/m", m);
            context.metrics().log(probe, "search/failure_rate", rate);
            context.progress().update(++probe);
            if (rate <= target) {
                found = m;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        Map<String, Double> summary = new LinkedHashMap<>();
        double shape = problem.d * Math.pow(Math.log(problem.n), 3);
        summary.put("reached", found == null ? 0.0 : 1.0);
        summary.put("m_min", (double) (found == null ? high : found));
        summary.put("m_min_over_d", (found == null ? high : found) / (double) problem.d);
        summary.put("m_min_over_d_log3n", (found == null ? high : found) / shape);
        summary.put("probes", (double) rates.size());
        return summary;
    }

    private static double failureRate(LinfProblem problem, Sketch sketch, int m, int draws, double epsilon,
                                      TrialContext context) {
        List<LinfProblem.Draw> results = new ArrayList<>(draws);
        for (int j = 0; j < draws; j++) {
            context.cancellation().throwIfCancelled();
            // the same draw seeds at every m: the comparison across m is paired
            results.add(problem.draw(sketch, m, context.seed("draw-" + j)));
        }
        return DrawStatistics.failureRate(results, epsilon);
    }
}
