package org.ablate.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ablate.config.ConfigException;
import org.ablate.config.Values;
import org.ablate.experiment.ClaimSpec;

/**
 * Checks claims against aggregated configurations. A comparison passes only when the 95%
 * confidence intervals clear the threshold, fails when they lie wholly on the wrong side, and is
 * INCONCLUSIVE when they overlap it or a configuration has fewer finished seeds than the claim's
 * {@code min_seeds}. The intervals are Student's t over the seeds, or for a claim with
 * {@code pool} the exact binomial interval of the seeds' draws pooled ({@link PooledRate}). A claim
 * with {@code curve} reads each finished trial's step curve of the metric ({@link CurveValues}); a
 * comparison missing trials whose curve is too short is not a PASS, and says so.
 */
public final class ClaimEvaluator {

    private final List<Configuration> configurations;
    private final FileSweep file;
    /** Per curve claim, each configuration's curve values: read once, the files can be long. */
    private final Map<ClaimSpec, Map<Configuration, CurveValues>> curves = new java.util.IdentityHashMap<>();

    public ClaimEvaluator(List<Configuration> configurations) {
        this(configurations, null);
    }

    /**
     * @param file the experiment file's own sweep: a claim about a value of it that this invocation
     *             did not run is INCONCLUSIVE, saying so; null: every unmatched selection is an error
     */
    public ClaimEvaluator(List<Configuration> configurations, FileSweep file) {
        this.configurations = configurations;
        this.file = file;
    }

    public ClaimResult evaluate(ClaimSpec c) {
        List<Configuration> selected = select(c.where());
        Optional<ClaimResult> notRun = notRunHere(c, c.where(), selected)
                .or(() -> c.baseline() == null ? Optional.empty() : notRunHere(c, c.baseline(), select(c.baseline())));
        if (notRun.isPresent()) {
            return notRun.get();
        }
        if (selected.isEmpty()) {
            throw new ConfigException(c.origin(), "claim '" + c.name() + "': no configuration matches where "
                    + new Configuration(c.where(), 0, 0, Map.of()).label());
        }
        List<ClaimResult.Row> rows = switch (c.kind()) {
            case AT_LEAST, AT_MOST, WITHIN -> thresholds(c, selected);
            case DECREASING, INCREASING -> trends(c, selected);
            case RATIO_AT_LEAST, RATIO_AT_MOST -> ratios(c, selected);
        };
        return new ClaimResult(c, Verdict.combine(rows.stream().map(ClaimResult.Row::verdict).toList()), rows);
    }

    /** INCONCLUSIVE when the selection names a value of the file's sweep that this invocation did not run. */
    private Optional<ClaimResult> notRunHere(ClaimSpec c, Map<String, Object> selection, List<Configuration> selected) {
        if (file == null || !selected.isEmpty()) {
            return Optional.empty();
        }
        return file.notRunHere(selection, configurations).map(reason -> new ClaimResult(c, Verdict.INCONCLUSIVE, List.of(
                new ClaimResult.Row(new Configuration(selection, 0, 0, Map.of()).label(), "not run here", thresholdText(c),
                        Verdict.INCONCLUSIVE, "")), reason));
    }

    private List<Configuration> select(Map<String, Object> where) {
        return configurations.stream().filter(k -> k.matches(where)).toList();
    }

    private List<ClaimResult.Row> thresholds(ClaimSpec c, List<Configuration> selected) {
        List<ClaimResult.Row> rows = new ArrayList<>();
        for (Configuration k : selected) {
            Stat s = stat(k, c);
            String threshold;
            Verdict v;
            if (!enough(s, c)) {
                threshold = thresholdText(c);
                rows.add(withShortCurves(c, new ClaimResult.Row(k.label(), measured(k, c), threshold, Verdict.INCONCLUSIVE, seedsNote(s, c)), k));
                continue;
            }
            switch (c.kind()) {
                case AT_LEAST -> {
                    threshold = "≥ " + num(c.value());
                    v = s.ciLow() >= c.value() ? Verdict.PASS : s.ciHigh() < c.value() ? Verdict.FAIL : Verdict.INCONCLUSIVE;
                }
                case AT_MOST -> {
                    threshold = "≤ " + num(c.value());
                    v = s.ciHigh() <= c.value() ? Verdict.PASS : s.ciLow() > c.value() ? Verdict.FAIL : Verdict.INCONCLUSIVE;
                }
                default -> {
                    double lo = c.value() - c.tolerance();
                    double hi = c.value() + c.tolerance();
                    threshold = "within " + num(c.tolerance()) + " of " + num(c.value());
                    v = s.ciLow() >= lo && s.ciHigh() <= hi ? Verdict.PASS
                            : s.ciHigh() < lo || s.ciLow() > hi ? Verdict.FAIL : Verdict.INCONCLUSIVE;
                }
            }
            rows.add(withShortCurves(c, new ClaimResult.Row(k.label(), measured(k, c), threshold, v,
                    v == Verdict.INCONCLUSIVE ? "the confidence interval overlaps the threshold" : ""), k));
        }
        return rows;
    }

    private List<ClaimResult.Row> trends(ClaimSpec c, List<Configuration> selected) {
        boolean down = c.kind() == ClaimSpec.Kind.DECREASING;
        // one series per combination of the other swept values
        Map<String, List<Configuration>> series = new LinkedHashMap<>();
        for (Configuration k : selected) {
            Map<String, Object> rest = new LinkedHashMap<>(k.values());
            rest.remove(c.along());
            series.computeIfAbsent(new Configuration(rest, 0, 0, Map.of()).label(), x -> new ArrayList<>()).add(k);
        }
        List<ClaimResult.Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Configuration>> e : series.entrySet()) {
            List<Configuration> points = new ArrayList<>(e.getValue());
            // numbers in numeric order; anything else (m: "4 * d") in the order the sweep lists it
            if (points.stream().allMatch(k -> k.values().get(c.along()) instanceof Number)) {
                points.sort(Comparator.comparingDouble(k -> ((Number) k.values().get(c.along())).doubleValue()));
            }
            if (points.size() < 2) {
                rows.add(new ClaimResult.Row(e.getKey(), "one value of " + c.along(), "a trend", Verdict.INCONCLUSIVE,
                        "a trend needs at least two values of " + c.along()));
                continue;
            }
            List<int[]> pairs = new ArrayList<>();
            if (c.monotone()) {
                for (int i = 1; i < points.size(); i++) {
                    pairs.add(new int[] {i - 1, i});
                }
            } else {
                pairs.add(new int[] {0, points.size() - 1});
            }
            for (int[] p : pairs) {
                Configuration a = points.get(p[0]);
                Configuration b = points.get(p[1]);
                Stat sa = stat(a, c);
                Stat sb = stat(b, c);
                String subject = (e.getKey().equals("(all)") ? "" : e.getKey() + ": ")
                        + c.along() + " " + Values.format(a.values().get(c.along())) + " → " + Values.format(b.values().get(c.along()));
                String measured = measuredPair(a, b, c, " → ");
                String threshold = down ? "falls" : "rises";
                if (!enough(sa, c) || !enough(sb, c)) {
                    rows.add(withShortCurves(c, new ClaimResult.Row(subject, measured, threshold, Verdict.INCONCLUSIVE,
                            seedsNote(enough(sa, c) ? sb : sa, c)), a, b));
                    continue;
                }
                boolean separatedRight = down ? sb.ciHigh() < sa.ciLow() : sb.ciLow() > sa.ciHigh();
                boolean separatedWrong = down ? sb.ciLow() > sa.ciHigh() : sb.ciHigh() < sa.ciLow();
                Verdict v = separatedRight ? Verdict.PASS : separatedWrong ? Verdict.FAIL : Verdict.INCONCLUSIVE;
                rows.add(withShortCurves(c, new ClaimResult.Row(subject, measured, threshold, v,
                        v == Verdict.INCONCLUSIVE ? "the confidence intervals overlap" : ""), a, b));
            }
        }
        return rows;
    }

    private List<ClaimResult.Row> ratios(ClaimSpec c, List<Configuration> selected) {
        boolean atLeast = c.kind() == ClaimSpec.Kind.RATIO_AT_LEAST;
        List<Configuration> baselines = select(c.baseline());
        if (baselines.isEmpty()) {
            throw new ConfigException(c.origin(), "claim '" + c.name() + "': no configuration matches its baseline");
        }
        // a baseline configuration is not compared with itself (a claim without 'where' selects it too)
        List<Configuration> compared = selected.stream().filter(a -> !baselines.contains(a)).toList();
        if (compared.isEmpty()) {
            throw new ConfigException(c.origin(), "claim '" + c.name() + "': every configuration its 'where' selects is a baseline"
                    + " configuration; select the others with 'where'");
        }
        List<ClaimResult.Row> rows = new ArrayList<>();
        for (Configuration a : compared) {
            // the baseline that agrees with `a` on every swept value the baseline does not set
            // (a value fixed by 'where' alone, such as codebook_size: 65536, pairs with the same value)
            Map<String, Object> same = new LinkedHashMap<>(a.values());
            c.baseline().keySet().forEach(same::remove);
            List<Configuration> match = baselines.stream().filter(b -> b.matches(same)).toList();
            if (match.size() != 1) {
                throw new ConfigException(c.origin(), "claim '" + c.name() + "': " + match.size()
                        + " baseline configurations match " + a.label() + " (need exactly one; narrow 'baseline' or 'where')");
            }
            Configuration b = match.get(0);
            Stat sa = stat(a, c);
            Stat sb = stat(b, c);
            String subject = a.label() + " vs " + b.label();
            String measured = measuredPair(a, b, c, " vs ")
                    + (sa != null && sb != null && sb.mean() != 0 ? String.format(Locale.ROOT, " (ratio %.3g)", sa.mean() / sb.mean()) : "");
            String threshold = (atLeast ? "≥ " : "≤ ") + num(c.factor()) + " × baseline";
            if (!enough(sa, c) || !enough(sb, c)) {
                rows.add(withShortCurves(c, new ClaimResult.Row(subject, measured, threshold, Verdict.INCONCLUSIVE,
                        seedsNote(enough(sa, c) ? sb : sa, c)), a, b));
                continue;
            }
            double f = c.factor();
            Verdict v = atLeast
                    ? (sa.ciLow() >= f * sb.ciHigh() ? Verdict.PASS : sa.ciHigh() < f * sb.ciLow() ? Verdict.FAIL : Verdict.INCONCLUSIVE)
                    : (sa.ciHigh() <= f * sb.ciLow() ? Verdict.PASS : sa.ciLow() > f * sb.ciHigh() ? Verdict.FAIL : Verdict.INCONCLUSIVE);
            rows.add(withShortCurves(c, new ClaimResult.Row(subject, measured, threshold, v,
                    v == Verdict.INCONCLUSIVE ? "the confidence intervals overlap the threshold" : ""), a, b));
        }
        return rows;
    }

    private static boolean enough(Stat s, ClaimSpec c) {
        return s != null && s.n() >= c.minSeeds() && s.hasInterval() && Double.isFinite(s.ciLow()) && Double.isFinite(s.ciHigh());
    }

    /**
     * A comparison that lost trials to too-short curves is judged on the rest, and which seeds those
     * are is not random: a PASS becomes INCONCLUSIVE, and the note says how many it is missing.
     */
    private ClaimResult.Row withShortCurves(ClaimSpec c, ClaimResult.Row row, Configuration... compared) {
        if (c.curve() == null) {
            return row;
        }
        List<String> shortfalls = new ArrayList<>();
        for (Configuration k : compared) {
            String s = curve(k, c).shortfall();
            if (!s.isEmpty() && !shortfalls.contains(s)) {
                shortfalls.add(compared.length == 1 ? s : k.label() + ": " + s);
            }
        }
        if (shortfalls.isEmpty()) {
            return row;
        }
        Verdict v = row.verdict() == Verdict.PASS ? Verdict.INCONCLUSIVE : row.verdict();
        String note = (row.note().isEmpty() ? "" : row.note() + "; ") + String.join("; ", shortfalls)
                + (row.verdict() == Verdict.PASS ? " (PASS on the rest)" : "");
        return new ClaimResult.Row(row.subject(), row.measured(), row.threshold(), v, note);
    }

    /** The configuration's curve values for a curve claim, read from the trials' metric files once. */
    private CurveValues curve(Configuration k, ClaimSpec c) {
        return curves.computeIfAbsent(c, x -> new java.util.IdentityHashMap<>()).computeIfAbsent(k, x -> {
            try {
                return CurveValues.of(k.done(), c.metric(), c.curve());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The seeds' values as a Student-t statistic: of the summary, or with {@code curve} of each seed's curve. */
    Stat perSeed(Configuration k, ClaimSpec c) {
        return c.curve() != null ? curve(k, c).stat() : k.metrics().get(c.metric());
    }

    /** The figure a claim compares: the seeds' t-interval, or with {@code pool} the binomial interval of the pooled draws. */
    private Stat stat(Configuration k, ClaimSpec c) {
        Stat perSeed = perSeed(k, c);
        if (c.pool() == null || perSeed == null) {
            return perSeed;
        }
        return pooled(k, c).asStat();
    }

    private static PooledRate pooled(Configuration k, ClaimSpec c) {
        try {
            return PooledRate.of(k.done(), c.metric(), c.pool());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(c.origin("pool"), "claim '" + c.name() + "': pool: " + c.pool() + ": " + e.getMessage());
        }
    }

    /** What the row shows: the t-interval; with pooling the pooled interval used, the t-interval beside it. */
    private String measured(Configuration k, ClaimSpec c) {
        if (c.curve() != null) {
            CurveValues v = curve(k, c);
            return describe(v.stat()) + " (" + v.derivation() + ")";
        }
        Stat perSeed = k.metrics().get(c.metric());
        if (c.pool() == null || perSeed == null) {
            return describe(perSeed);
        }
        PooledRate p = pooled(k, c);
        if (p.draws() == 0) {
            return "no " + c.pool() + " to pool; per-seed t: " + describe(perSeed);
        }
        return num(p.proportion()) + " [" + num(p.low()) + ", " + num(p.high()) + "] (" + p.events() + "/" + p.draws() + " "
                + c.pool() + " of " + p.seeds() + " seeds pooled, " + PooledRate.METHOD + "; per-seed t: " + describe(perSeed) + ")";
    }

    /** Two configurations' figures; a curve read at the same steps on both sides says so once, at the end. */
    private String measuredPair(Configuration a, Configuration b, ClaimSpec c, String separator) {
        if (c.curve() != null && curve(a, c).derivation().equals(curve(b, c).derivation())) {
            return describe(curve(a, c).stat()) + separator + describe(curve(b, c).stat()) + " (" + curve(a, c).derivation() + ")";
        }
        return measured(a, c) + separator + measured(b, c);
    }

    private static String seedsNote(Stat s, ClaimSpec c) {
        int n = s == null ? 0 : s.n();
        return "too few seeds: " + n + (c.curve() == null ? " finished" : " with a curve") + ", the claim needs " + c.minSeeds();
    }

    private static String thresholdText(ClaimSpec c) {
        return switch (c.kind()) {
            case AT_LEAST -> "≥ " + num(c.value());
            case AT_MOST -> "≤ " + num(c.value());
            case WITHIN -> "within " + num(c.tolerance()) + " of " + num(c.value());
            case DECREASING -> "falls";
            case INCREASING -> "rises";
            case RATIO_AT_LEAST -> "≥ " + num(c.factor()) + " × baseline";
            case RATIO_AT_MOST -> "≤ " + num(c.factor()) + " × baseline";
        };
    }

    /** "0.412 ± 0.031 (n=3)": the mean and the half-width of its 95% interval. */
    static String describe(Stat s) {
        if (s == null || s.n() == 0) {
            return "no data";
        }
        if (!s.hasInterval()) {
            return num(s.mean()) + " (n=1)";
        }
        return num(s.mean()) + " ± " + num(s.halfWidth()) + " (n=" + s.n() + ")";
    }

    /** Four significant digits; plain notation except for tiny numbers (a 6e-15 spread, not 0.000000000000005995). */
    static String num(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e6) {
            return Long.toString((long) x);
        }
        java.math.BigDecimal rounded = new java.math.BigDecimal(x).round(new java.math.MathContext(4)).stripTrailingZeros();
        return Math.abs(x) < 1e-4 ? rounded.toString().replace("E", "e") : rounded.toPlainString();
    }
}
