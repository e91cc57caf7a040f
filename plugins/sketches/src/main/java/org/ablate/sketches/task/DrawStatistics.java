package org.ablate.sketches.task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summaries over a trial's draws: median, 95th percentile, failure rate at ε, mean times. */
final class DrawStatistics {

    private DrawStatistics() {
    }

    /** The q-quantile by linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        if (lo == hi || sorted[hi] == sorted[lo]) {
            return sorted[lo];
        }
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static double failureRate(List<LinfProblem.Draw> draws, double epsilon) {
        return draws.stream().filter(d -> !(d.epsEff() <= epsilon)).count() / (double) draws.size();
    }

    static Map<String, Double> summarise(List<LinfProblem.Draw> draws, double epsilon) {
        double[] eps = draws.stream().mapToDouble(LinfProblem.Draw::epsEff).toArray();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("eps_eff_median", quantile(eps, 0.5));
        s.put("eps_eff_p95", quantile(eps, 0.95));
        s.put("eps_eff_max", Arrays.stream(eps).max().orElseThrow());
        s.put("failure_rate", failureRate(draws, epsilon));
        s.put("l2_rel_median", quantile(draws.stream().mapToDouble(LinfProblem.Draw::l2Rel).toArray(), 0.5));
        s.put("residual_ratio_median", quantile(draws.stream().mapToDouble(LinfProblem.Draw::residualRatio).toArray(), 0.5));
        s.put("sketch_ms", draws.stream().mapToDouble(LinfProblem.Draw::sketchMs).average().orElseThrow());
        s.put("solve_ms", draws.stream().mapToDouble(LinfProblem.Draw::solveMs).average().orElseThrow());
        s.put("rank_deficient_rate", draws.stream().filter(LinfProblem.Draw::rankDeficient).count() / (double) draws.size());
        return s;
    }
}
