package org.ablate.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.MetricSchema;

/**
 * Checks a report section against a sweep before it runs (also for {@code --dry-run}), so that a
 * misspelt name stops the run instead of the report after it: metric names against those the task
 * declares (a task that declares none is checked after the run, as before), parameter names
 * against the swept ones, and {@code where}/{@code baseline} values against the swept values.
 */
public final class ReportPlanCheck {

    private final SweepPlan plan;
    private final MetricSchema metrics;
    private final Map<String, List<Object>> swept = new LinkedHashMap<>();

    private ReportPlanCheck(SweepPlan plan) {
        this.plan = plan;
        this.metrics = plan.task().metrics();
        plan.varyingKeys().forEach(k -> swept.put(k, new ArrayList<>()));
        for (TrialSpec t : plan.trials()) {
            t.varying().forEach((k, v) -> {
                List<Object> values = swept.get(k);
                if (values != null && values.stream().noneMatch(seen -> Values.sameValue(seen, v))) {
                    values.add(v);
                }
            });
        }
    }

    /** Throws a located {@link ConfigException} for the first name or value the sweep cannot produce. */
    public static void check(ReportSpec spec, SweepPlan plan) {
        ReportPlanCheck c = new ReportPlanCheck(plan);
        for (PlotSpec p : spec.plots()) {
            if (p.overSteps()) {
                c.stepMetric(p);
            } else {
                c.summaryMetric(p.metric(), p.origin("metric"), "plot");
                c.parameter(p.x(), p.origin("x"), "x");
            }
            if (p.group() != null) {
                c.parameter(p.group(), p.origin("group"), "group");
            }
            c.selection(p.where(), "where", p::origin);
            c.onePointEach(p);
        }
        for (ClaimSpec claim : spec.claims()) {
            c.summaryMetric(claim.metric(), claim.origin("metric"), "claim '" + claim.name() + "'");
            if (claim.along() != null) {
                c.parameter(claim.along(), claim.origin("along"), "along");
            }
            c.selection(claim.where(), "where", claim::origin);
            if (claim.baseline() != null) {
                c.selection(claim.baseline(), "baseline", claim::origin);
            }
        }
    }

    /**
     * A point of a plot (a series' x, or a series over steps) is one configuration: a parameter
     * that varies among the selected configurations and is neither x nor group would put several
     * on one point (the report refuses that after the run; here it is said before).
     */
    private void onePointEach(PlotSpec p) {
        Map<String, List<Object>> spread = new LinkedHashMap<>();
        for (TrialSpec t : plan.trials()) {
            boolean selected = p.where().entrySet().stream()
                    .allMatch(e -> Values.sameValue(t.varying().get(e.getKey()), e.getValue()));
            if (!selected) {
                continue;
            }
            t.varying().forEach((k, v) -> {
                if (k.equals(p.group()) || (!p.overSteps() && k.equals(p.x())) || p.where().containsKey(k)) {
                    return;
                }
                List<Object> values = spread.computeIfAbsent(k, key -> new ArrayList<>());
                if (values.stream().noneMatch(seen -> Values.sameValue(seen, v))) {
                    values.add(v);
                }
            });
        }
        spread.forEach((k, values) -> {
            if (values.size() > 1) {
                throw new ConfigException(p.origin(), "plot: configurations differing in " + k + " ("
                        + String.join(", ", values.stream().map(Values::format).toList())
                        + ") fall on the same point; fix it with 'where' or split them with 'group'");
            }
        });
    }

    private void summaryMetric(String metric, Origin origin, String what) {
        if (metrics.hasSummary(metric)) {
            return;
        }
        String hint = metrics.hasStep(metric) ? "; it is logged per step: plot it with x: step" : isParameter(metric);
        throw new ConfigException(origin, what + ": '" + metric + "' is not a summary metric of task '" + plan.task().name()
                + "'" + hint + Suggestions.didYouMean(metric, metrics.summaryNames())
                + " (declared: " + String.join(", ", metrics.summaryNames()) + ")");
    }

    private void stepMetric(PlotSpec p) {
        if (metrics.hasStep(p.metric())) {
            return;
        }
        String hint = metrics.hasSummary(p.metric()) ? "; it is a summary metric: plot it against a swept parameter"
                : isParameter(p.metric());
        throw new ConfigException(p.origin("metric"), "plot: '" + p.metric() + "' is not a metric task '" + plan.task().name()
                + "' logs per step (x: step)" + hint + Suggestions.didYouMean(p.metric(), metrics.stepNames())
                + " (declared: " + (metrics.stepNames().isEmpty() ? "none" : String.join(", ", metrics.stepNames())) + ")");
    }

    private String isParameter(String name) {
        return plan.trials().get(0).params().asMap().containsKey(name) ? "; '" + name + "' is a parameter, not a metric" : "";
    }

    private void parameter(String key, Origin origin, String role) {
        if (!swept.containsKey(key)) {
            throw new ConfigException(origin, role + ": '" + key + "' is not a swept parameter"
                    + (plan.trials().get(0).params().asMap().containsKey(key) ? " (it is fixed)" : "")
                    + Suggestions.didYouMean(key, swept.keySet())
                    + " (swept: " + (swept.isEmpty() ? "none" : String.join(", ", swept.keySet())) + ")");
        }
    }

    /** Every key of a where/baseline is swept, and its value is one the sweep takes. */
    private void selection(Map<String, Object> selection, String role, java.util.function.Function<String, Origin> origins) {
        selection.forEach((key, value) -> {
            Origin origin = origins.apply(role + "." + key);
            parameter(key, origin, role);
            List<Object> values = swept.get(key);
            if (values.stream().noneMatch(v -> Values.sameValue(v, value))) {
                List<String> shown = values.stream().map(Values::format).toList();
                throw new ConfigException(origin, role + ": " + key + "=" + Values.format(value) + " is not a swept value"
                        + Suggestions.didYouMean(Values.format(value), shown) + " (swept: " + String.join(", ", shown) + ")");
            }
        });
    }
}
