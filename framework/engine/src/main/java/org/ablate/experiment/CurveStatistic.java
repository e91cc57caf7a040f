package org.ablate.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a claim with {@code curve:} turns one trial's step curve of a metric (its values in step
 * order) into the number the claim aggregates over seeds. {@code last_change} (|last − previous|)
 * says whether a curve has flattened; {@code drop} (first − last) whether it fell during training.
 */
public enum CurveStatistic {
    /** The value at the first logged step. */
    FIRST(1, "the value at the first evaluation"),
    /** The value at the last logged step. */
    LAST(1, "the value at the last evaluation"),
    /** |last − previous|: how much the final evaluation moved the curve. */
    LAST_CHANGE(2, "|last − previous evaluation|"),
    /** first − last: positive when the curve fell. */
    DROP(2, "first − last evaluation (positive: it fell)"),
    /** (first − last) / |first|: the fall as a fraction of where the curve started. */
    RELATIVE_DROP(2, "(first − last) / |first| (positive: it fell)");

    private final int points;
    private final String meaning;

    CurveStatistic(int points, String meaning) {
        this.points = points;
        this.meaning = meaning;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the statistic computes, for reports: "|last − previous evaluation|". */
    public String meaning() {
        return meaning;
    }

    /** The fewest logged steps a curve needs for this statistic. */
    public int minimumPoints() {
        return points;
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(CurveStatistic::yamlName).toList();
    }

    /** The statistic of a curve, its values in step order ({@link #minimumPoints()} or more of them). */
    public double of(double[] values) {
        if (values.length < points) {
            throw new IllegalArgumentException(yamlName() + " needs " + points + " points, got " + values.length);
        }
        double first = values[0];
        double last = values[values.length - 1];
        return switch (this) {
            case FIRST -> first;
            case LAST -> last;
            case LAST_CHANGE -> Math.abs(last - values[values.length - 2]);
            case DROP -> first - last;
            case RELATIVE_DROP -> (first - last) / Math.abs(first);
        };
    }

    /** The steps whose values {@link #of} reads, of a curve's ascending steps. */
    public long[] stepsRead(long[] steps) {
        int n = steps.length;
        return switch (this) {
            case FIRST -> new long[] {steps[0]};
            case LAST -> new long[] {steps[n - 1]};
            case LAST_CHANGE -> new long[] {steps[n - 2], steps[n - 1]};
            case DROP, RELATIVE_DROP -> new long[] {steps[0], steps[n - 1]};
        };
    }

    /** How the value was read, for the steps {@link #stepsRead} gave: "last change between steps 2750 and 3000". */
    public String derivation(long[] read) {
        return switch (this) {
            case FIRST -> "first evaluation, at step " + read[0];
            case LAST -> "last evaluation, at step " + read[0];
            case LAST_CHANGE -> "last change between steps " + read[0] + " and " + read[1];
            case DROP -> "drop from step " + read[0] + " to step " + read[1];
            case RELATIVE_DROP -> "relative drop from step " + read[0] + " to step " + read[1];
        };
    }
}
