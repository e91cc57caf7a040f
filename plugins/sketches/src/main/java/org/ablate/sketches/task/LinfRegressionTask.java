package org.ablate.sketches.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ablate.sketches.spi.Sketch;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * Sketch-and-solve regression against the ℓ∞ guarantee: one instance, {@code draws} independent
 * sketches with m rows, each solved and compared with the exact solution. Logs every draw's
 * ε_eff, ℓ2 error, residual ratio and timings (step = draw), and summarises the distribution.
 */
public final class LinfRegressionTask implements Task {

    public static final ParameterSchema SCHEMA;
    /** The distribution over draws (DrawStatistics) and the instance's figures; per draw, step = draw index; the rates are of the `draws` parameter. */
    public static final MetricSchema METRICS = MetricSchema
            .summary("eps_eff_median", "eps_eff_p95", "eps_eff_max", "failure_rate", "l2_rel_median",
                    "residual_ratio_median", "sketch_ms", "solve_ms", "rank_deficient_rate",
                    "m", "m_over_d", "sigma_min", "condition_number")
            .steps("draw/eps_eff", "draw/l2_rel", "draw/residual_ratio", "draw/sketch_ms", "draw/solve_ms")
            // fractions of the trial's `draws` independent sketches: claims may pool them over seeds
            .rate("failure_rate", "draws")
            .rate("rank_deficient_rate", "draws");

    static {
        List<Param> params = new ArrayList<>(List.of(LinfProblem.commonParameters()));
        params.add(4, Param.expression("m", "n", "d").defaultValue("4 * d")
                .doc("Rows of S: a number or a rule in n and d, e.g. \"4 * d\" or \"0.1 * d * log(n)^3\"."));
        SCHEMA = ParameterSchema.of(params.toArray(Param[]::new));
    }

    @Override
    public Map<String, Double> run(TrialContext context) {
        Parameters p = context.params();
        LinfProblem problem = LinfProblem.create(context);
        int m = problem.rows(p.get("m"), "m");
        Sketch sketch = context.component("sketch", Sketch.class);
        int draws = p.getInt("draws");
        double epsilon = p.getDouble("epsilon");
        context.progress().total(draws);
        List<LinfProblem.Draw> results = new ArrayList<>(draws);
        for (int j = 0; j < draws; j++) {
            context.cancellation().throwIfCancelled();
            LinfProblem.Draw draw = problem.draw(sketch, m, context.seed("draw-" + j));
            results.add(draw);
            context.metrics().log(j, "draw/eps_eff", draw.epsEff());
            context.metrics().log(j, "draw/l2_rel", draw.l2Rel());
            context.metrics().log(j, "draw/residual_ratio", draw.residualRatio());
            context.metrics().log(j, "draw/sketch_ms", draw.sketchMs());
            context.metrics().log(j, "draw/solve_ms", draw.solveMs());
            context.progress().update(j + 1);
            context.progress().message(String.format(Locale.ROOT, "eps_eff %.3g", draw.epsEff()));
        }
        Map<String, Double> summary = DrawStatistics.summarise(results, epsilon);
        summary.put("m", (double) m);
        summary.put("m_over_d", m / (double) problem.d);
        summary.put("sigma_min", problem.exact.sigmaMin());
        summary.put("condition_number", problem.exact.sigmaMax() / problem.exact.sigmaMin());
        return summary;
    }
}
