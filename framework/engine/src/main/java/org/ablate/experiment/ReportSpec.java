package org.ablate.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Suggestions;
import org.ablate.config.YamlNode;

/**
 * The experiment file's {@code report:} (plots) and {@code claims:} sections, read once with the
 * rest of the file (a bad shape is refused then, with the file's other problems) and checked
 * against the results (metric and parameter names) when a report is made.
 *
 * <pre>
 * report:
 *   plots:
 *     - {metric: utilization, x: codebook_size, group: quantizer, log_x: true}
 *     - {metric: eval/utilization, x: step, group: quantizer, where: {codebook_size: 65536}}
 * claims:
 *   - name: vq-collapses
 *     source: SimVQ (Zhu et al.), Table 1
 *     check: decreasing
 *     metric: utilization
 *     along: codebook_size
 *     where: {quantizer: vq}
 *     paper: 1.4% of 65,536 codes used on ImageNet
 *   - name: simvq-converged          # each trial's value from its step curve ({@link CurveStatistic})
 *     check: at_most
 *     metric: eval/utilization
 *     curve: last_change
 *     value: 0.01
 * </pre>
 */
public record ReportSpec(List<PlotSpec> plots, List<ClaimSpec> claims) {

    private static final Set<String> REPORT_KEYS = new LinkedHashSet<>(List.of("plots"));
    private static final Set<String> PLOT_KEYS = new LinkedHashSet<>(List.of(
            "metric", "x", "group", "where", "log_x", "log_y", "title", "x_label", "y_label", "max_step", "y_range"));
    private static final Set<String> CLAIM_KEYS = new LinkedHashSet<>(List.of(
            "name", "source", "check", "metric", "where", "along", "monotone", "value", "tolerance",
            "baseline", "factor", "paper", "min_seeds", "pool", "curve"));

    /** A file without a report or claims section. */
    public static final ReportSpec NONE = new ReportSpec(List.of(), List.of());

    public ReportSpec {
        plots = List.copyOf(plots);
        claims = List.copyOf(claims);
    }

    /** Reads the two sections (either node may be null: the section is absent). */
    static ReportSpec parse(YamlNode reportSection, YamlNode claimsSection) {
        List<PlotSpec> plots = new ArrayList<>();
        if (reportSection != null) {
            Map<String, YamlNode> report = reportSection.asMap();
            checkKeys(report, REPORT_KEYS);
            if (report.containsKey("plots")) {
                for (YamlNode p : report.get("plots").asList()) {
                    plots.add(plot(p));
                }
            }
        }
        List<ClaimSpec> claims = new ArrayList<>();
        if (claimsSection != null) {
            Set<String> names = new LinkedHashSet<>();
            for (YamlNode c : claimsSection.asList()) {
                ClaimSpec claim = claim(c, claims.size() + 1);
                if (!names.add(claim.name())) {
                    throw new ConfigException(claim.origin(), "claim name '" + claim.name() + "' is used twice");
                }
                claims.add(claim);
            }
        }
        return new ReportSpec(plots, claims);
    }

    private static PlotSpec plot(YamlNode node) {
        Map<String, YamlNode> m = node.asMap();
        checkKeys(m, PLOT_KEYS);
        String metric = required(m, "metric", node).asString();
        String x = required(m, "x", node).asString();
        return new PlotSpec(metric, x, optString(m, "group"), where(m.get("where")), bool(m, "log_x"), bool(m, "log_y"),
                optString(m, "title"), optString(m, "x_label"), optString(m, "y_label"),
                m.containsKey("max_step") ? m.get("max_step").asLong() : null, range(m.get("y_range"), bool(m, "log_y")),
                node.origin(), keyOrigins(m));
    }

    /** The origin of every key and of every where/baseline entry ("where.sampler"), for located errors. */
    private static Map<String, Origin> keyOrigins(Map<String, YamlNode> m) {
        Map<String, Origin> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            out.put(k, v.origin());
            if ((k.equals("where") || k.equals("baseline")) && v.isMap()) {
                v.asMap().forEach((wk, wv) -> out.put(k + "." + wk, wv.origin()));
            }
        });
        return out;
    }

    /** {@code y_range: [0, 1]}: two finite numbers, min < max, min > 0 on a log axis. */
    private static PlotSpec.Range range(YamlNode node, boolean log) {
        if (node == null) {
            return null;
        }
        List<YamlNode> ends = node.isScalar() ? List.of() : node.asList();
        if (ends.size() != 2) {
            throw new ConfigException(node.origin(), "expected two numbers [min, max], got "
                    + (node.isList() ? "a list of " + ends.size() : node.describe()));
        }
        double min = finite(ends.get(0));
        double max = finite(ends.get(1));
        if (!(min < max)) {
            throw new ConfigException(node.origin(), "y_range must have min < max, got [" + min + ", " + max + "]");
        }
        if (log && min <= 0) {
            throw new ConfigException(node.origin(), "y_range on a log axis (log_y: true) needs min > 0, got " + min);
        }
        return new PlotSpec.Range(min, max);
    }

    private static ClaimSpec claim(YamlNode node, int index) {
        Map<String, YamlNode> m = node.asMap();
        checkKeys(m, CLAIM_KEYS);
        YamlNode checkNode = required(m, "check", node);
        String check = checkNode.asString();
        ClaimSpec.Kind kind = Arrays.stream(ClaimSpec.Kind.values()).filter(k -> k.yamlName().equals(check)).findFirst()
                .orElseThrow(() -> new ConfigException(checkNode.origin(), "unknown check '" + check + "'"
                        + Suggestions.didYouMean(check, kindNames()) + " (accepted: " + String.join(", ", kindNames()) + ")"));
        String name = m.containsKey("name") ? m.get("name").asString() : "claim-" + index;
        Double value = optNumber(m, "value");
        Double tolerance = optNumber(m, "tolerance");
        Double factor = optNumber(m, "factor");
        String along = optString(m, "along");
        Map<String, Object> baseline = m.containsKey("baseline") ? where(m.get("baseline")) : null;
        switch (kind) {
            case AT_LEAST, AT_MOST -> requireKey(value, "value", kind, node);
            case WITHIN -> {
                requireKey(value, "value", kind, node);
                requireKey(tolerance, "tolerance", kind, node);
                if (tolerance < 0) {
                    throw new ConfigException(m.get("tolerance").origin(), "tolerance must be >= 0, got " + tolerance);
                }
            }
            case DECREASING, INCREASING -> requireKey(along, "along", kind, node);
            case RATIO_AT_LEAST, RATIO_AT_MOST -> {
                requireKey(baseline, "baseline", kind, node);
                requireKey(factor, "factor", kind, node);
                // a negative or zero factor flips or erases the comparison the claim reads as
                if (!(factor > 0)) {
                    throw new ConfigException(m.get("factor").origin(), "factor must be > 0, got " + factor);
                }
            }
        }
        int minSeeds = m.containsKey("min_seeds") ? (int) m.get("min_seeds").asLong() : 2;
        if (minSeeds < 2) {
            throw new ConfigException(m.get("min_seeds").origin(), "min_seeds must be at least 2 (a confidence interval needs two seeds)");
        }
        CurveStatistic curve = curve(m.get("curve"));
        if (curve != null && m.containsKey("pool")) {
            // pooling adds up the draws behind each trial's rate summary; a curve statistic has none
            throw new ConfigException(m.get("pool").origin(), "pool: pools a rate summary's draws and does not combine with"
                    + " curve: (a statistic of a step curve); drop one of them");
        }
        return new ClaimSpec(name, optString(m, "source"), kind, required(m, "metric", node).asString(),
                where(m.get("where")), along, bool(m, "monotone"), value, tolerance, baseline, factor,
                optString(m, "paper"), minSeeds, node.origin(), keyOrigins(m), optString(m, "pool"), curve);
    }

    private static CurveStatistic curve(YamlNode node) {
        if (node == null) {
            return null;
        }
        String name = node.isScalar() && node.value() != null ? String.valueOf(node.value()) : node.describe();
        return Arrays.stream(CurveStatistic.values()).filter(s -> s.yamlName().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(node.origin(), "unknown curve '" + name + "'"
                        + Suggestions.didYouMean(name, CurveStatistic.yamlNames())
                        + " (accepted: " + String.join(", ", CurveStatistic.yamlNames()) + ")"));
    }

    /**
     * Checks names against what a sweep produced: every summary metric exists, and every parameter named
     * by x, group, along, where and baseline was swept. While trials are missing, an absent metric
     * may just not be reported yet, so it is checked only when every planned trial has finished.
     */
    public void validate(List<String> varying, Set<String> summaryMetrics, boolean complete) {
        for (PlotSpec p : plots) {
            if (!p.overSteps()) {
                if (complete) {
                    requireMetric(p.metric(), summaryMetrics, p.origin(), "plot");
                }
                requireSwept(p.x(), varying, p.origin(), "x");
            }
            if (p.group() != null) {
                requireSwept(p.group(), varying, p.origin(), "group");
            }
            p.where().keySet().forEach(k -> requireSwept(k, varying, p.origin(), "where"));
        }
        for (ClaimSpec c : claims) {
            // a curve's metric is logged per step, not summarised; the claim says so when no trial logged it
            if (complete && c.curve() == null) {
                requireMetric(c.metric(), summaryMetrics, c.origin(), "claim '" + c.name() + "'");
            }
            if (c.along() != null) {
                requireSwept(c.along(), varying, c.origin(), "along");
            }
            c.where().keySet().forEach(k -> requireSwept(k, varying, c.origin(), "where"));
            if (c.baseline() != null) {
                c.baseline().keySet().forEach(k -> requireSwept(k, varying, c.origin(), "baseline"));
            }
        }
    }

    private static void requireMetric(String metric, Set<String> metrics, Origin origin, String what) {
        if (!metrics.contains(metric)) {
            throw new ConfigException(origin, what + ": no summary metric '" + metric + "' in the results"
                    + Suggestions.didYouMean(metric, metrics) + " (accepted: " + String.join(", ", metrics) + ")");
        }
    }

    private static void requireSwept(String key, List<String> varying, Origin origin, String role) {
        if (!varying.contains(key)) {
            throw new ConfigException(origin, role + ": '" + key + "' is not a swept parameter"
                    + Suggestions.didYouMean(key, varying) + " (swept: " + (varying.isEmpty() ? "none" : String.join(", ", varying)) + ")");
        }
    }

    private static List<String> kindNames() {
        return Arrays.stream(ClaimSpec.Kind.values()).map(ClaimSpec.Kind::yamlName).toList();
    }

    private static void requireKey(Object value, String key, ClaimSpec.Kind kind, YamlNode node) {
        if (value == null) {
            throw new ConfigException(node.origin(), "a '" + kind.yamlName() + "' claim needs '" + key + "'");
        }
    }

    private static void checkKeys(Map<String, YamlNode> m, Set<String> accepted) {
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
            if (!accepted.contains(e.getKey())) {
                throw new ConfigException(e.getValue().origin(), "unknown key" + Suggestions.didYouMean(e.getKey(), accepted)
                        + " (accepted: " + String.join(", ", accepted) + ")");
            }
        }
    }

    private static YamlNode required(Map<String, YamlNode> m, String key, YamlNode parent) {
        YamlNode n = m.get(key);
        if (n == null) {
            throw new ConfigException(parent.origin(), "missing required key '" + key + "'");
        }
        return n;
    }

    private static String optString(Map<String, YamlNode> m, String key) {
        YamlNode n = m.get(key);
        if (n == null) {
            return null;
        }
        return n.value() instanceof String s ? s : org.ablate.config.Values.format(n.toPlain());
    }

    private static Double optNumber(Map<String, YamlNode> m, String key) {
        YamlNode n = m.get(key);
        return n == null ? null : finite(n);
    }

    private static double finite(YamlNode n) {
        if (!(n.value() instanceof Number x)) {
            throw new ConfigException(n.origin(), "expected a number, got " + n.describe());
        }
        if (!Double.isFinite(x.doubleValue())) { // .nan or .inf: no interval can clear it
            throw new ConfigException(n.origin(), "expected a finite number, got " + n.describe());
        }
        return x.doubleValue();
    }

    private static boolean bool(Map<String, YamlNode> m, String key) {
        YamlNode n = m.get(key);
        if (n == null) {
            return false;
        }
        if (!(n.value() instanceof Boolean b)) {
            throw new ConfigException(n.origin(), "expected true or false, got " + n.describe());
        }
        return b;
    }

    private static Map<String, Object> where(YamlNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node != null) {
            node.asMap().forEach((k, v) -> {
                if (!v.isScalar()) {
                    throw new ConfigException(v.origin(), "expected a single value to select on, got " + v.describe());
                }
                out.put(k, v.value());
            });
        }
        return out;
    }
}
