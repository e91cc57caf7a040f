package org.ablate.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 */
public final class MetricSchema {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.*/-]+");
    private static final MetricSchema UNDECLARED = new MetricSchema(null, List.of());

    private final List<String> summary; // null: undeclared
    private final List<String> steps;

    private MetricSchema(List<String> summary, List<String> steps) {
        this.summary = summary;
        this.steps = steps;
    }

    /** No declaration: the report is checked against what the trials logged, after they ran. */
    public static MetricSchema undeclared() {
        return UNDECLARED;
    }

    /** A declaration with these summary metrics (and no step metrics until {@link #steps} adds them). */
    public static MetricSchema summary(String... names) {
        return new MetricSchema(checked(List.of(names)), List.of());
    }

    /** This declaration with these step metrics added. */
    public MetricSchema steps(String... names) {
        if (!declared()) {
            throw new IllegalStateException("declare the summary metrics first: MetricSchema.summary(...).steps(...)");
        }
        List<String> all = new ArrayList<>(steps);
        all.addAll(checked(List.of(names)));
        return new MetricSchema(summary, List.copyOf(all));
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
        return declared() ? "summary " + summary + ", steps " + steps : "undeclared";
    }
}
