package org.ablate.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.Values;

/**
 * One configuration of a sweep (its swept parameters, the seed aside) and every summary metric
 * aggregated over its finished seeds. {@code trials} counts every trial of the configuration
 * in the sweep (started or not); {@code finished} those whose numbers are aggregated; {@code damaged}
 * those left out because a file of theirs is damaged (they would otherwise count); {@code done} the
 * finished trials themselves, for claims that pool their draws.
 */
public record Configuration(Map<String, Object> values, int trials, int finished, Map<String, Stat> metrics, int damaged,
                            List<TrialResult> done) {

    public Configuration {
        done = List.copyOf(done);
    }

    /** A configuration none of whose trials is damaged. */
    public Configuration(Map<String, Object> values, int trials, int finished, Map<String, Stat> metrics) {
        this(values, trials, finished, metrics, 0);
    }

    /** A configuration whose trials are not at hand (nothing to pool). */
    public Configuration(Map<String, Object> values, int trials, int finished, Map<String, Stat> metrics, int damaged) {
        this(values, trials, finished, metrics, damaged, List.of());
    }

    /** The configurations of a sweep in sweep order, with their statistics. */
    public static List<Configuration> aggregate(ExperimentResults results) {
        return aggregate(results, Map.of());
    }

    /**
     * @param fixed parameters the experiment file sweeps that these trials hold at one value: part of
     *              every configuration's values, so that a report section naming them selects and labels alike
     */
    public static List<Configuration> aggregate(ExperimentResults results, Map<String, Object> fixed) {
        Map<List<Object>, List<TrialResult>> groups = new LinkedHashMap<>();
        for (TrialResult t : results.trials()) {
            groups.computeIfAbsent(key(t.params(), results.varying()), k -> new ArrayList<>()).add(t);
        }
        List<String> metricNames = metricNames(results);
        List<Configuration> out = new ArrayList<>();
        for (List<TrialResult> group : groups.values()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String k : results.varying()) {
                values.put(k, group.get(0).params().get(k));
            }
            values.putAll(fixed);
            List<TrialResult> done = group.stream().filter(t -> t.finished() && !t.summary().isEmpty()).toList();
            Map<String, Stat> metrics = new LinkedHashMap<>();
            for (String m : metricNames) {
                double[] v = done.stream().filter(t -> t.summary().containsKey(m)).mapToDouble(t -> t.summary().get(m)).toArray();
                if (v.length > 0) {
                    metrics.put(m, Stat.of(v));
                }
            }
            int damaged = (int) group.stream().filter(t -> t.damage() != null).count();
            out.add(new Configuration(values, group.size(), done.size(), metrics, damaged, done));
        }
        return out;
    }

    /** Every summary metric name, in the order the trials first report them. */
    public static List<String> metricNames(ExperimentResults results) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        results.trials().forEach(t -> names.addAll(t.summary().keySet()));
        return new ArrayList<>(names);
    }

    private static List<Object> key(Map<String, Object> params, List<String> varying) {
        List<Object> k = new ArrayList<>();
        for (String v : varying) {
            Object value = params.get(v);
            k.add(value instanceof Number n ? (Object) n.doubleValue() : value);
        }
        return k;
    }

    /** True when this configuration has every given value (1 equals 1.0). */
    public boolean matches(Map<String, Object> where) {
        for (Map.Entry<String, Object> e : where.entrySet()) {
            if (!values.containsKey(e.getKey()) || !Values.sameValue(values.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** "quantizer=vq codebook_size=1024", or "(all)" for a sweep without swept parameters. */
    public String label() {
        if (values.isEmpty()) {
            return "(all)";
        }
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(Values.format(v)));
        return b.toString();
    }
}
