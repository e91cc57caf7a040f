package org.ablate.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The metrics a task declares it logs, so that a report's plots and claims can be checked before
 * any trial runs: {@code summary} names (returned by {@link Task#run} or given to
 * {@link MetricsSink#summary}) and {@code steps} names (given to {@link MetricsSink#log}). A name
 * may hold {@code *} for a part that depends on parameters or components ({@code eval/*}). A task
 * that declares nothing ({@link #undeclared()}) has its report checked only against its results.
 *
 * <pre>{@code
 * static final MetricSchema METRICS = MetricSchema.summary("error", "seconds").steps("train/loss", "eval/*");
 * }</pre>
 *
 * <p>A summary that is a fraction of independent draws (a failure rate over {@code draws}) is
 * declared with {@link #rate}, so that a claim may pool the draws of all seeds and use an exact
 * binomial interval ({@code pool: draws}).
 */
public final class MetricSchema {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.*/-]+");
    private static final MetricSchema UNDECLARED = new MetricSchema(null, List.of(), Map.of());

    private final List<String> summary; // null: undeclared
    private final List<String> steps;
    /** Rate summary → the name of its count of draws. */
    private final Map<String, String> rates;

    private MetricSchema(List<String> summary, List<String> steps, Map<String, String> rates) {
        this.summary = summary;
        this.steps = steps;
        this.rates = rates;
    }

    /** No declaration: the report is checked against what the trials logged, after they ran. */
    public static MetricSchema undeclared() {
        return UNDECLARED;
    }

    /** A declaration with these summary metrics (and no step metrics until {@link #steps} adds them). */
    public static MetricSchema summary(String... names) {
        return new MetricSchema(checked(List.of(names)), List.of(), Map.of());
    }

    /** This declaration with these step metrics added. */
    public MetricSchema steps(String... names) {
        if (!declared()) {
            throw new IllegalStateException("declare the summary metrics first: MetricSchema.summary(...).steps(...)");
        }
        List<String> all = new ArrayList<>(steps);
        all.addAll(checked(List.of(names)));
        return new MetricSchema(summary, List.copyOf(all), rates);
    }

    /**
     * This declaration with the summary {@code rate} declared a fraction of {@code count}
     * independent draws: events / count, where count is the trial's summary of that name, else its
     * parameter of that name (a task's {@code draws}).
     */
    public MetricSchema rate(String rate, String count) {
        if (!declared() || !summary.contains(rate)) {
            throw new IllegalArgumentException("rate '" + rate + "' must be a declared summary metric (declared: "
                    + String.join(", ", summaryNames()) + ")");
        }
        checked(List.of(count));
        Map<String, String> all = new LinkedHashMap<>(rates);
        all.put(rate, count);
        return new MetricSchema(summary, steps, java.util.Collections.unmodifiableMap(all));
    }

    /** The count a declared rate is a fraction of, or empty when the summary is not a declared rate. */
    public Optional<String> rateCount(String name) {
        return Optional.ofNullable(rates.get(name));
    }

    /** Declared rates and their counts, in declaration order. */
    public Map<String, String> rates() {
        return rates;
    }

    public boolean declared() {
        return summary != null;
    }

    /** Declared summary names and patterns, in declaration order (empty when undeclared). */
    public List<String> summaryNames() {
        return summary == null ? List.of() : summary;
    }

    /** Declared step names and patterns, in declaration order. */
    public List<String> stepNames() {
        return steps;
    }

    /** True when the name may be a summary metric of this task (always, when undeclared). */
    public boolean hasSummary(String name) {
        return !declared() || matchesAny(summary, name);
    }

    /** True when the name may be a step metric of this task (always, when undeclared). */
    public boolean hasStep(String name) {
        return !declared() || matchesAny(steps, name);
    }

    private static boolean matchesAny(List<String> patterns, String name) {
        for (String p : patterns) {
            if (p.equals(name) || (p.contains("*") && glob(p).matcher(name).matches())) {
                return true;
            }
        }
        return false;
    }

    /** {@code *} stands for one or more characters; everything else is literal. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private static List<String> checked(List<String> names) {
        for (String n : names) {
            Objects.requireNonNull(n, "metric name");
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("metric name '" + n + "' must match " + NAME.pattern());
            }
        }
        return List.copyOf(names);
    }

    @Override
    public String toString() {
        return declared() ? "summary " + summary + ", steps " + steps + (rates.isEmpty() ? "" : ", rates " + rates) : "undeclared";
    }
}
