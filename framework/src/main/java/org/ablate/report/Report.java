package org.ablate.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.store.ExperimentFolder;

/** An experiment's results aggregated over seeds, its plots' numbers and its claims checked. */
public record Report(ExperimentSpec experiment, ExperimentResults results, List<Configuration> configurations,
                     List<String> metrics, List<PlotSpec> plotSpecs, List<PlotData> plots, List<ClaimResult> claims) {

    public static Report build(ExperimentSpec experiment, ExperimentFolder folder) throws IOException {
        return build(experiment, folder, false);
    }

    /** @param all every trial in the folder, not only the latest invocation's */
    public static Report build(ExperimentSpec experiment, ExperimentFolder folder, boolean all) throws IOException {
        ReportSpec spec = ReportSpec.of(experiment);
        ExperimentResults results = ExperimentResults.read(folder, all);
        List<Configuration> configurations = Configuration.aggregate(results);
        List<String> metrics = Configuration.metricNames(results);
        boolean complete = results.finished().size() == results.planned();
        spec.validate(results.varying(), new LinkedHashSet<>(metrics), complete);
        PlotBuilder builder = new PlotBuilder(results, configurations);
        List<PlotData> plots = new ArrayList<>();
        List<PlotSpec> drawn = new ArrayList<>();
        for (PlotSpec p : spec.plots()) {
            if (p.overSteps() || metrics.contains(p.metric())) { // else: not reported by any trial yet
                PlotData data = builder.build(p);
                if (p.overSteps() && complete && data.series().stream().allMatch(s -> s.x().length == 0)) {
                    // a misspelt history metric would otherwise give an empty plot
                    throw new ConfigException(p.origin(), "plot: no finished trial logged '" + p.metric() + "'"
                            + (p.maxStep() == null ? "" : " at or before max_step " + p.maxStep())
                            + " (x: step plots a metric logged during training)");
                }
                plots.add(data);
                drawn.add(p);
            }
        }
        ClaimEvaluator evaluator = new ClaimEvaluator(configurations);
        List<ClaimResult> claims = spec.claims().stream().map(evaluator::evaluate)
                .map(c -> withDamage(c, configurations)).toList();
        return new Report(experiment, results, configurations, metrics, drawn, plots, claims);
    }

    /**
     * A claim whose configurations lost trials to damaged files is judged on fewer seeds than
     * planned, and which seeds were lost is not random: a PASS becomes INCONCLUSIVE, and every
     * verdict says how many trials it is missing.
     */
    private static ClaimResult withDamage(ClaimResult c, List<Configuration> configurations) {
        ClaimSpec s = c.claim();
        int damaged = configurations.stream()
                .filter(k -> k.matches(s.where()) || (s.baseline() != null && k.matches(s.baseline())))
                .mapToInt(Configuration::damaged).sum();
        if (damaged == 0) {
            return c;
        }
        Verdict verdict = c.verdict() == Verdict.PASS ? Verdict.INCONCLUSIVE : c.verdict();
        String caveat = damaged + " trial(s) skipped as damaged" + (c.verdict() == Verdict.PASS ? " (PASS on the rest)" : "")
                + "; ablate run re-runs them";
        return new ClaimResult(s, verdict, c.rows(), caveat);
    }

    public boolean anyFailed() {
        return claims.stream().anyMatch(c -> c.verdict() == Verdict.FAIL);
    }
}
