package org.ablate.experiment;

import java.util.Map;
import org.ablate.config.Origin;

/**
 * A paper's claim as a check on aggregated results. Kinds:
 * <ul>
 *   <li>{@code at_least} / {@code at_most}: the metric of every selected configuration is ≥ / ≤ {@code value};</li>
 *   <li>{@code within}: the metric is within {@code tolerance} of {@code value} (the paper's number);</li>
 *   <li>{@code decreasing} / {@code increasing}: along the swept parameter {@code along}, overall (last
 *       vs first) or, with {@code monotone: true}, at every step; once per combination of the other swept values;</li>
 *   <li>{@code ratio_at_least} / {@code ratio_at_most}: the selected configurations' metric is ≥ / ≤
 *       {@code factor} × that of the matching {@code baseline} configuration: the one with the same values of
 *       every swept parameter that {@code baseline} does not set (baseline configurations themselves are not compared).</li>
 * </ul>
 * A check passes only when the 95% confidence intervals clear the threshold, fails when they lie
 * wholly on the wrong side, and is inconclusive otherwise or with fewer than {@code min_seeds} seeds.
 * The interval is Student's t over the seeds' values, or, with {@code pool: COUNT} on a metric the
 * task declares a rate of COUNT draws, the exact (Clopper–Pearson) binomial interval of the draws
 * of all seeds pooled ({@code pool} null: no pooling). With {@code curve}, each trial's value is not
 * a summary but a statistic of its step curve of {@code metric} ({@link CurveStatistic}; null: the summary).
 */
public record ClaimSpec(String name, String source, Kind kind, String metric, Map<String, Object> where,
                        String along, boolean monotone, Double value, Double tolerance,
                        Map<String, Object> baseline, Double factor, String paper, int minSeeds, Origin origin,
                        Map<String, Origin> keyOrigins, String pool, CurveStatistic curve) {

    public ClaimSpec {
        keyOrigins = keyOrigins == null ? Map.of() : Map.copyOf(keyOrigins);
    }

    /** A claim on a summary metric. */
    public ClaimSpec(String name, String source, Kind kind, String metric, Map<String, Object> where,
                     String along, boolean monotone, Double value, Double tolerance,
                     Map<String, Object> baseline, Double factor, String paper, int minSeeds, Origin origin,
                     Map<String, Origin> keyOrigins, String pool) {
        this(name, source, kind, metric, where, along, monotone, value, tolerance, baseline, factor, paper, minSeeds, origin,
                keyOrigins, pool, null);
    }

    /** A claim without pooling. */
    public ClaimSpec(String name, String source, Kind kind, String metric, Map<String, Object> where,
                     String along, boolean monotone, Double value, Double tolerance,
                     Map<String, Object> baseline, Double factor, String paper, int minSeeds, Origin origin,
                     Map<String, Origin> keyOrigins) {
        this(name, source, kind, metric, where, along, monotone, value, tolerance, baseline, factor, paper, minSeeds, origin,
                keyOrigins, null);
    }

    /** A claim whose keys are located by the claim's own line. */
    public ClaimSpec(String name, String source, Kind kind, String metric, Map<String, Object> where,
                     String along, boolean monotone, Double value, Double tolerance,
                     Map<String, Object> baseline, Double factor, String paper, int minSeeds, Origin origin) {
        this(name, source, kind, metric, where, along, monotone, value, tolerance, baseline, factor, paper, minSeeds, origin,
                Map.of());
    }

    /** What each trial contributes, for reports: "eval/utilization" or "eval/utilization (curve: last_change)". */
    public String measure() {
        return curve == null ? metric : metric + " (curve: " + curve.yamlName() + ")";
    }

    /** Where a key ("metric", "where.quantizer") was written, else the claim's own origin. */
    public Origin origin(String key) {
        return keyOrigins.getOrDefault(key, origin);
    }

    /** The kinds of check, as written in experiment files. */
    public enum Kind {
        AT_LEAST, AT_MOST, WITHIN, DECREASING, INCREASING, RATIO_AT_LEAST, RATIO_AT_MOST;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
