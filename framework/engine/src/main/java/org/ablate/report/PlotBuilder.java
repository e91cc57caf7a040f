package org.ablate.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ablate.config.ConfigException;
import org.ablate.config.Values;
import org.ablate.experiment.PlotSpec;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/** Turns a plot request into numbers: aggregated configurations, or per-step histories over seeds. */
final class PlotBuilder {

    private final ExperimentResults results;
    private final List<Configuration> configurations;
    private final List<String> overrideSwept;
    private final java.util.Set<String> splitBy = new java.util.LinkedHashSet<>();

    PlotBuilder(ExperimentResults results, List<Configuration> configurations) {
        this(results, configurations, List.of());
    }

    /**
     * @param overrideSwept parameters these trials sweep that the experiment file does not (a
     *                      command-line sweep): where they would put two configurations on one
     *                      point, each of their values gets its own series
     */
    PlotBuilder(ExperimentResults results, List<Configuration> configurations, List<String> overrideSwept) {
        this.results = results;
        this.configurations = configurations;
        this.overrideSwept = overrideSwept;
    }

    /** The override-swept parameters some plot drew a series per value of. */
    java.util.Set<String> splitBy() {
        return splitBy;
    }

    PlotData build(PlotSpec p) throws IOException {
        List<Configuration> selected = configurations.stream().filter(k -> k.matches(p.where())).toList();
        List<String> seriesKeys = new ArrayList<>();
        if (p.group() != null) {
            seriesKeys.add(p.group());
        }
        seriesKeys.addAll(splitting(p, selected));
        Map<String, List<Configuration>> groups = new LinkedHashMap<>();
        for (Configuration k : selected) {
            String name = seriesKeys.isEmpty() ? p.metric() : String.join(" ", seriesKeys.stream()
                    .map(g -> g + "=" + Values.format(k.values().get(g))).toList());
            groups.computeIfAbsent(name, g -> new ArrayList<>()).add(k);
        }
        if (groups.isEmpty()) {
            throw new ConfigException(p.origin(), "plot of '" + p.metric() + "': no configuration matches where " + p.where());
        }
        // a parameter with any non-numeric value (m: "4 * d") is categorical: its values in sweep order
        List<Object> categories = new ArrayList<>();
        if (!p.overSteps()) {
            for (List<Configuration> g : groups.values()) {
                for (Configuration k : g) {
                    Object x = k.values().get(p.x());
                    if (categories.stream().noneMatch(c -> Values.sameValue(c, x))) {
                        categories.add(x);
                    }
                }
            }
            if (categories.stream().allMatch(c -> c instanceof Number)) {
                categories.clear();
            }
        }
        List<PlotData.Series> series = new ArrayList<>();
        int[] notPositive = {0};
        for (Map.Entry<String, List<Configuration>> g : groups.entrySet()) {
            series.add(p.overSteps() ? stepSeries(p, g.getKey(), g.getValue(), notPositive)
                    : paramSeries(p, g.getKey(), g.getValue(), categories, notPositive));
        }
        String title = p.title() != null ? p.title() : p.metric() + " vs " + p.x()
                + (p.where().isEmpty() ? "" : " (" + new Configuration(p.where(), 0, 0, Map.of()).label() + ")");
        String yLabel = p.yLabel() != null ? p.yLabel() : p.metric()
                + (p.logY() ? " (geometric mean, 95% CI over seeds; log scale)" : " (mean, 95% CI over seeds)");
        String xLabel = p.xLabel() != null ? p.xLabel() : p.x() + (p.logX() ? " (log scale)" : "");
        List<String> notes = new ArrayList<>();
        if (notPositive[0] > 0) {
            notes.add(notPositive[0] + " point(s) with a value <= 0 in some seed are not drawn: a log y axis (log_y) "
                    + "shows the geometric mean, which needs every value > 0; the table below has their arithmetic means.");
        }
        return new PlotData(title, xLabel, yLabel, p.logX() && categories.isEmpty(), p.logY(), series,
                categories.stream().map(Values::format).toList(), p.yRange(), notes);
    }

    /** The override-swept parameters that take two values on one point of this plot (its group and x alone). */
    private List<String> splitting(PlotSpec p, List<Configuration> selected) {
        List<String> out = new ArrayList<>();
        for (String key : overrideSwept) {
            if (key.equals(p.x()) || key.equals(p.group()) || p.where().containsKey(key)) {
                continue;
            }
            Map<List<Object>, Object> seen = new java.util.HashMap<>();
            for (Configuration k : selected) {
                List<Object> point = new ArrayList<>();
                point.add(p.group() == null ? null : Values.format(k.values().get(p.group())));
                point.add(p.overSteps() ? null : Values.format(k.values().get(p.x())));
                Object before = seen.putIfAbsent(point, k.values().get(key));
                if (before != null && !Values.sameValue(before, k.values().get(key))) {
                    out.add(key);
                    splitBy.add(key);
                    break;
                }
            }
        }
        return out;
    }

    private PlotData.Series paramSeries(PlotSpec p, String name, List<Configuration> group, List<Object> categories,
                                        int[] notPositive) {
        TreeMap<Double, Configuration> byX = new TreeMap<>();
        for (Configuration k : group) {
            Object x = k.values().get(p.x());
            double position = categories.isEmpty() ? ((Number) x).doubleValue() : indexOf(categories, x);
            Configuration before = byX.put(position, k);
            if (before != null) {
                throw new ConfigException(p.origin(), "plot of '" + p.metric() + "': " + before.label() + " and " + k.label()
                        + " fall on the same point; fix the other parameters with 'where' or split them with 'group'");
            }
        }
        TreeMap<Double, Stat> points = new TreeMap<>();
        byX.forEach((x, k) -> points.put(x, p.logY() ? geometric(seedValues(k, p.metric()), notPositive)
                : k.metrics().get(p.metric())));
        return series(name, points);
    }

    /** The metric's value in each finished seed of the configuration. */
    private double[] seedValues(Configuration k, String metric) {
        return results.trials().stream()
                .filter(t -> t.state() == TrialState.FINISHED && t.summary().containsKey(metric)
                        && k.matches(subset(t.params(), k.values().keySet())))
                .mapToDouble(t -> t.summary().get(metric)).toArray();
    }

    /**
     * The geometric mean and the 95% t-interval of the mean of log values, back on the value scale,
     * as a Stat (std NaN: there is no single one on that scale); null, counted, when a finite value
     * is <= 0 and the point has no place on a log axis.
     */
    static Stat geometric(double[] values, int[] notPositive) {
        if (values.length == 0) {
            return null;
        }
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && values[i] <= 0) {
                notPositive[0]++;
                return null;
            }
            logs[i] = Math.log(values[i]);
        }
        Stat s = Stat.of(logs);
        return new Stat(s.n(), Math.exp(s.mean()), Double.NaN, Math.exp(s.ciLow()), Math.exp(s.ciHigh()), s.nonFinite());
    }

    private PlotData.Series stepSeries(PlotSpec p, String name, List<Configuration> group, int[] notPositive)
            throws IOException {
        if (group.size() > 1) {
            throw new ConfigException(p.origin(), "plot of '" + p.metric() + "' over steps: " + group.size()
                    + " configurations in series '" + name + "' (" + group.get(0).label() + ", " + group.get(1).label()
                    + ", ...); select one per series with 'where' or 'group'");
        }
        Configuration k = group.get(0);
        TreeMap<Long, List<Double>> byStep = new TreeMap<>();
        for (TrialResult t : results.trials()) {
            if (t.state() == TrialState.FINISHED && k.matches(subset(t.params(), k.values().keySet()))) {
                readHistory(t.folder(), p.metric(), byStep);
                if (p.maxStep() != null) {
                    byStep.tailMap(p.maxStep(), false).clear();
                }
            }
        }
        TreeMap<Double, Stat> points = new TreeMap<>();
        byStep.forEach((step, values) -> {
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            points.put(step.doubleValue(), p.logY() ? geometric(v, notPositive) : Stat.of(v));
        });
        return series(name, points);
    }

    /** A line from x → statistics over seeds (null: no finished seed there, drawn as a gap). */
    private static PlotData.Series series(String name, TreeMap<Double, Stat> points) {
        int m = points.size();
        double[] x = new double[m];
        double[] mean = new double[m];
        double[] lo = new double[m];
        double[] hi = new double[m];
        int[] n = new int[m];
        int i = 0;
        for (Map.Entry<Double, Stat> e : points.entrySet()) {
            Stat s = e.getValue();
            x[i] = e.getKey();
            mean[i] = s == null ? Double.NaN : s.mean();
            lo[i] = s == null ? Double.NaN : s.ciLow();
            hi[i] = s == null ? Double.NaN : s.ciHigh();
            n[i] = s == null ? 0 : s.n();
            i++;
        }
        return new PlotData.Series(name, x, mean, lo, hi, n);
    }

    private static int indexOf(List<Object> categories, Object x) {
        for (int i = 0; i < categories.size(); i++) {
            if (Values.sameValue(categories.get(i), x)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown category " + x);
    }

    private static Map<String, Object> subset(Map<String, Object> params, java.util.Set<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, params.get(k)));
        return out;
    }

    /** Appends the metric's points (one per step; the last wins if a step repeats) to byStep. */
    private static void readHistory(TrialFolder folder, String metric, TreeMap<Long, List<Double>> byStep) throws IOException {
        StepHistory.read(folder, metric).forEach((step, v) -> byStep.computeIfAbsent(step, s -> new ArrayList<>()).add(v));
    }
}
