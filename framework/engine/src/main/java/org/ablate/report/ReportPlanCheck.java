package org.ablate.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.experiment.ClaimSpec;
import org.ablate.experiment.PlotSpec;
import org.ablate.experiment.ReportSpec;
import org.ablate.experiment.SweepPlan;
import org.ablate.experiment.TrialSpec;
import org.ablate.spi.MetricSchema;

/**
 * Checks a report section against a sweep before it runs (also for {@code --dry-run}), so that a
 * misspelt name stops the run instead of the report after it: metric names against those the task
 * declares (a task that declares none is checked after the run, as before), parameter names
 * against the swept ones, and {@code where}/{@code baseline} values against the swept values.
 * Given the file's own sweep, a parameter that it sweeps and a command-line override fixed (or a
 * value of it the override left out) is no mistake: the report draws what this invocation ran and
 * says what it left out; a parameter the override sweeps and the file does not splits the series.
 */
public final class ReportPlanCheck {

    private final SweepPlan plan;
    private final MetricSchema metrics;
    private final Map<String, List<Object>> swept = new LinkedHashMap<>();
    private final FileSweep file;
    /** Parameters the file sweeps that this invocation holds at one value, and that value. */
    private final Map<String, Object> fixedHere = new LinkedHashMap<>();
    /** Parameters this invocation sweeps that the file does not. */
    private final List<String> overrideSwept;

    private ReportPlanCheck(SweepPlan plan, FileSweep file) {
        this.plan = plan;
        this.metrics = plan.task().metrics();
        this.file = file;
        plan.varyingKeys().forEach(k -> swept.put(k, new ArrayList<>()));
        if (file != null && !plan.trials().isEmpty()) {
            plan.trials().get(0).params().asMap().forEach((k, v) -> {
                if (file.sweeps(k) && !swept.containsKey(k)) {
                    fixedHere.put(k, v);
                }
            });
        }
        overrideSwept = file == null ? List.of() : plan.varyingKeys().stream().filter(k -> !file.sweeps(k)).toList();
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
        check(spec, plan, null);
    }

    /** @param file the experiment file's own sweep (before overrides); null: names and values are checked against the plan alone */
    public static void check(ReportSpec spec, SweepPlan plan, FileSweep file) {
        ReportPlanCheck c = new ReportPlanCheck(plan, file);
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
            if (claim.curve() != null) {
                c.curveMetric(claim);
            } else {
                c.summaryMetric(claim.metric(), claim.origin("metric"), "claim '" + claim.name() + "'");
            }
            if (claim.pool() != null) {
                c.pooledRate(claim);
            }
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
     * A point of a plot (a series' x, or a whole series over steps) is one configuration: two
     * selected configurations with the same group (and x) value would share it. The report refuses
     * that after the run with the same words; here it is said before.
     */
    private void onePointEach(PlotSpec p) {
        if (fixedHere.containsKey(p.x())) {
            return; // left out of the report, with a note: one x value is no line
        }
        Map<List<Object>, List<Map<String, Object>>> buckets = new LinkedHashMap<>();
        for (TrialSpec t : plan.trials()) {
            boolean selected = p.where().entrySet().stream()
                    .allMatch(e -> Values.sameValue(t.params().asMap().get(e.getKey()), e.getValue()));
            if (!selected) {
                continue;
            }
            List<Object> point = new ArrayList<>();
            point.add(p.group() == null ? null : normal(t.params().asMap().get(p.group())));
            if (!p.overSteps()) {
                point.add(normal(t.varying().get(p.x())));
            }
            // the report draws a series per value of a parameter only the override sweeps
            overrideSwept.forEach(k -> point.add(normal(t.varying().get(k))));
            List<Map<String, Object>> configurations = buckets.computeIfAbsent(point, k -> new ArrayList<>());
            if (configurations.stream().noneMatch(c -> sameConfiguration(c, t.varying()))) {
                configurations.add(t.varying());
            }
        }
        for (List<Map<String, Object>> configurations : buckets.values()) {
            if (configurations.size() < 2) {
                continue;
            }
            String a = new Configuration(configurations.get(0), 0, 0, Map.of()).label();
            String b = new Configuration(configurations.get(1), 0, 0, Map.of()).label();
            throw new ConfigException(p.origin(), p.overSteps()
                    ? "plot of '" + p.metric() + "' over steps: " + configurations.size() + " configurations in one series ("
                            + a + ", " + b + (configurations.size() > 2 ? ", ..." : "") + "); select one per series with 'where' or 'group'"
                    : "plot of '" + p.metric() + "': " + a + " and " + b
                            + " fall on the same point; fix the other parameters with 'where' or split them with 'group'");
        }
    }

    /** "1" and 1.0, "true" and true: the same when written. */
    private static boolean sameText(Object a, Object b) {
        try {
            return Double.parseDouble(String.valueOf(a)) == Double.parseDouble(String.valueOf(b));
        } catch (NumberFormatException e) {
            return String.valueOf(a).equals(String.valueOf(b));
        }
    }

    private static Object normal(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : v;
    }

    private static boolean sameConfiguration(Map<String, Object> a, Map<String, Object> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Values.sameValue(e.getValue(), b.get(e.getKey())));
    }

    private void summaryMetric(String metric, Origin origin, String what) {
        if (metrics.hasSummary(metric)) {
            return;
        }
        String hint = metrics.hasStep(metric) ? "; it is logged per step: plot it with x: step"
                + (what.equals("plot") ? "" : ", or claim on its curve with curve: (last_change, drop, ...)") : isParameter(metric);
        throw new ConfigException(origin, what + ": '" + metric + "' is not a summary metric of task '" + plan.task().name()
                + "'" + hint + Suggestions.didYouMean(metric, metrics.summaryNames())
                + " (declared: " + String.join(", ", metrics.summaryNames()) + ")");
    }

    /** {@code pool: COUNT} only on a summary the task declares a rate of COUNT draws: pooling needs the counts, exactly. */
    private void pooledRate(ClaimSpec claim) {
        java.util.Optional<String> count = metrics.rateCount(claim.metric());
        if (count.isPresent() && count.get().equals(claim.pool())) {
            return;
        }
        String declared = metrics.rates().isEmpty() ? "none"
                : String.join(", ", metrics.rates().entrySet().stream().map(e -> e.getKey() + " (pool: " + e.getValue() + ")").toList());
        throw new ConfigException(claim.origin("pool"), "claim '" + claim.name() + "': pool: " + claim.pool()
                + (count.isPresent() ? " does not name the count of '" + claim.metric() + "', which is a rate of '" + count.get() + "'"
                        : " pools the draws behind a rate, but '" + claim.metric() + "' is not a rate task '" + plan.task().name() + "' declares")
                + " (rates: " + declared + ")");
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

    /** {@code curve:} reads a metric the task logs per step. */
    private void curveMetric(ClaimSpec claim) {
        if (metrics.hasStep(claim.metric())) {
            return;
        }
        String hint = metrics.hasSummary(claim.metric()) ? "; it is a summary metric: without curve: the claim checks it"
                : isParameter(claim.metric());
        throw new ConfigException(claim.origin("metric"), "claim '" + claim.name() + "': curve: " + claim.curve().yamlName()
                + " reads a step curve, but '" + claim.metric() + "' is not a metric task '" + plan.task().name() + "' logs per step"
                + hint + Suggestions.didYouMean(claim.metric(), metrics.stepNames())
                + " (declared: " + (metrics.stepNames().isEmpty() ? "none" : String.join(", ", metrics.stepNames())) + ")");
    }

    private String isParameter(String name) {
        return isFixedOrSwept(name) ? "; '" + name + "' is a parameter, not a metric" : "";
    }

    private boolean isFixedOrSwept(String name) {
        return !plan.trials().isEmpty() && plan.trials().get(0).params().asMap().containsKey(name);
    }

    private void parameter(String key, Origin origin, String role) {
        if (!swept.containsKey(key) && !fixedHere.containsKey(key)) {
            java.util.Set<String> known = new java.util.LinkedHashSet<>(swept.keySet());
            known.addAll(fixedHere.keySet());
            throw new ConfigException(origin, role + ": '" + key + "' is not a swept parameter"
                    + (isFixedOrSwept(key) ? " (it is fixed)" : "")
                    + Suggestions.didYouMean(key, known)
                    + " (swept: " + (swept.isEmpty() ? "none" : String.join(", ", swept.keySet()))
                    + (fixedHere.isEmpty() ? "" : "; fixed by this invocation: " + String.join(", ", fixedHere.keySet())) + ")");
        }
    }

    /** The values this invocation gives a swept or override-fixed parameter. */
    private List<Object> valuesHere(String key) {
        return swept.containsKey(key) ? swept.get(key) : List.of(fixedHere.get(key));
    }

    /**
     * A value of the file's sweep that an override left out of this invocation, and that the
     * parameter's schema accepts (without an override, every value must be one the sweep takes).
     */
    private boolean notRunHere(String key, Object value) {
        if (file == null || !narrowed(key) || !file.has(key, value)) {
            return false;
        }
        return plan.task().schema().find(key).map(p -> p.allowed().isEmpty() || p.allowed().contains(String.valueOf(value)))
                .orElse(true);
    }

    /** True when the override changed which values the key takes (fixed it, or swept other values). */
    private boolean narrowed(String key) {
        if (file == null || !file.sweeps(key)) {
            return false;
        }
        List<Object> here = valuesHere(key);
        List<Object> there = file.values(key);
        return here.size() != there.size() || here.stream().anyMatch(v -> !file.has(key, v));
    }

    /** Every key of a where/baseline is swept, and its value is one the sweep takes. */
    private void selection(Map<String, Object> selection, String role, java.util.function.Function<String, Origin> origins) {
        selection.forEach((key, value) -> {
            Origin origin = origins.apply(role + "." + key);
            parameter(key, origin, role);
            List<Object> values = valuesHere(key);
            if (values.stream().noneMatch(v -> Values.sameValue(v, value)) && !notRunHere(key, value)) {
                boolean narrowed = narrowed(key);
                List<Object> candidates = new ArrayList<>(values);
                if (narrowed) {
                    file.values(key).stream().filter(v -> candidates.stream().noneMatch(c -> Values.sameValue(c, v)))
                            .forEach(candidates::add);
                }
                List<String> shown = candidates.stream().map(Values::format).toList();
                boolean quotedNumber = candidates.stream().anyMatch(v -> (v instanceof Number) != (value instanceof Number)
                        && sameText(v, value));
                // a spelling suggestion for a number (4 → '3') is noise
                String hint = !quotedNumber ? (value instanceof Number ? "" : Suggestions.didYouMean(Values.format(value), shown))
                        : value instanceof String ? "; it is quoted text here and the swept values are numbers: drop the quotes"
                        : "; the swept values are text: quote it";
                String accepted = !narrowed ? "swept: " + String.join(", ", shown)
                        : "swept by the file: " + String.join(", ", file.values(key).stream().map(Values::format).toList())
                        + "; this invocation: " + String.join(", ", values.stream().map(Values::format).toList());
                throw new ConfigException(origin, role + ": " + key + "=" + Values.format(value) + " is not a swept value"
                        + hint + " (" + accepted + ")");
            }
        });
        if (selection.entrySet().stream().anyMatch(e -> valuesHere(e.getKey()).stream().noneMatch(v -> Values.sameValue(v, e.getValue())))) {
            return; // a value this invocation did not run: the report says so
        }
        // each value is swept, but a zip or a random sweep may never combine them
        boolean any = plan.trials().stream().anyMatch(t -> selection.entrySet().stream()
                .allMatch(e -> Values.sameValue(t.params().asMap().get(e.getKey()), e.getValue())));
        if (!selection.isEmpty() && !any) {
            throw new ConfigException(origins.apply(role), role + ": no configuration of the sweep has "
                    + new Configuration(selection, 0, 0, Map.of()).label());
        }
    }
}
