package org.ablate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.spi.sweep.Sweep;
import org.ablate.spi.sweep.SweepException;
import org.ablate.spi.sweep.SweepSection;
import org.ablate.spi.sweep.Sweeper;
import org.ablate.spi.SeedStreams;

/**
 * A Weights &amp; Biases sweep configuration written as an experiment's {@code sweep:} section
 * (recognised by its {@code method} key), turned into Ablate's fixed parameters, grid axes and
 * zipped values, so that {@link SweepExpander} treats it like any other sweep. The framework's
 * built-in plugin registers it as the {@code wandb} {@link Sweeper}.
 *
 * <pre>
 * sweep:
 *   method: random                    # grid | random (bayes needs a live optimiser: rejected)
 *   run_cap: 20                       # random: how many configurations to sample
 *   metric: {name: error, goal: minimize}    # the headline, unless the file gives one
 *   parameters:
 *     epochs: {value: 10}                                      # fixed
 *     optimizer: {values: [adam, sgd], probabilities: [0.7, 0.3]}
 *     layers: {min: 1, max: 4}                                 # integers: int_uniform
 *     lr: {distribution: log_uniform_values, min: 1e-4, max: 1e-1}
 *     sketch: {parameters: {s: {values: [2, 4]}}}              # nested: sketch.s
 * </pre>
 *
 * <p>{@code grid} is the cartesian product of every {@code values} list (first parameter
 * outermost, as {@code grid:} is), with int_uniform ranges enumerated. {@code random} samples
 * {@code run_cap} configurations into one zipped group; each is run with every seed, and samples
 * that coincide are run once. Sampling is reproducible bit for bit: each parameter draws from its
 * own SplitMix64 stream, derived with {@link SeedStreams} from the file's {@code seed} (default 0),
 * the stream name {@value #STREAM} and the parameter's key, so adding a parameter does not change
 * the others' values. The q_ forms round to a multiple of {@code q} (default 1.0) as W&amp;B does,
 * giving integers when {@code q} is written as one. {@code name}, {@code description},
 * {@code program}, {@code command}, {@code project} and {@code entity} are accepted and ignored;
 * {@code early_terminate} is accepted with a warning, since every trial then runs to its end.
 *
 * <p>The sweep it returns: the parameters given one {@code value} as fixed, a grid search's axes,
 * or a random search's sampled configurations as one group of equal-length zipped axes; the
 * metric's name, or null when the section has no {@code metric}.
 */
public final class WandbSweep implements Sweeper {

    /** The stream the sampling seed is derived under. */
    static final String STREAM = "wandb-sweep";
    static final int MAX_GRID_RANGE = 10_000;
    static final int MAX_RUN_CAP = 100_000;

    private static final Set<String> KEYS = ordered("method", "parameters", "metric", "run_cap",
            "name", "description", "program", "command", "project", "entity", "early_terminate");
    private static final Set<String> METHODS = ordered("grid", "random");
    private static final Set<String> PARAMETER_KEYS = ordered("value", "values", "probabilities", "distribution",
            "min", "max", "q", "mu", "sigma", "parameters");
    private static final Set<String> METRIC_KEYS = ordered("name", "goal", "target");
    private static final Set<String> GOALS = ordered("minimize", "maximize");
    /** Each supported distribution and the keys it takes besides {@code distribution}. */
    private static final Map<String, Set<String>> DISTRIBUTIONS = new LinkedHashMap<>();

    static {
        DISTRIBUTIONS.put("int_uniform", ordered("min", "max"));
        DISTRIBUTIONS.put("uniform", ordered("min", "max"));
        DISTRIBUTIONS.put("log_uniform_values", ordered("min", "max"));
        DISTRIBUTIONS.put("q_uniform", ordered("min", "max", "q"));
        DISTRIBUTIONS.put("q_log_uniform_values", ordered("min", "max", "q"));
        DISTRIBUTIONS.put("normal", ordered("mu", "sigma"));
        DISTRIBUTIONS.put("log_normal", ordered("mu", "sigma"));
        DISTRIBUTIONS.put("categorical", ordered("values", "probabilities"));
        DISTRIBUTIONS.put("constant", ordered("value"));
    }

    /** Whether a {@code sweep:} mapping is a W&amp;B sweep configuration rather than grid/zip. */
    @Override
    public boolean reads(Map<String, Object> section) {
        return section.containsKey("method");
    }

    /** Reads the section (a mapping with a {@code method} key); random search samples from the file's seed. */
    @Override
    public Sweep sweep(SweepSection context) {
        Node section = new Node(context.values(), List.of());
        long seed = context.seed();
        Map<String, Node> sweep = section.asMap();
        for (Map.Entry<String, Node> e : sweep.entrySet()) {
            if (e.getKey().equals("grid") || e.getKey().equals("zip")) {
                throw new SweepException(e.getValue().origin(), "cannot be mixed with a W&B sweep ('method' is given): "
                        + "write the swept values under 'parameters' instead");
            }
            if (!KEYS.contains(e.getKey())) {
                throw unknownKey(e.getValue().origin(), e.getKey(), KEYS);
            }
        }
        if (sweep.containsKey("early_terminate")) {
            // it changes which runs finish, so ignoring it silently would change the study
            context.warn(sweep.get("early_terminate").origin(), "early_terminate is ignored: Ablate runs every trial to its end"
                    + " (stop long trials with 'timeout:')");
        }
        Node methodNode = sweep.get("method");
        String method = methodNode.asString();
        if (method.equals("bayes")) {
            throw new SweepException(methodNode.origin(), "'bayes' is not supported: Bayesian search needs a live "
                    + "optimiser choosing each run from the results so far (accepted: " + String.join(", ", METHODS) + ")");
        }
        if (!METHODS.contains(method)) {
            throw new SweepException(methodNode.origin(), "unknown method '" + method + "'"
                    + Suggestions.didYouMean(method, METHODS) + " (accepted: " + String.join(", ", METHODS) + ")");
        }
        String metric = sweep.containsKey("metric") ? metric(sweep.get("metric")) : null;

        Node parametersNode = sweep.get("parameters");
        if (parametersNode == null) {
            throw new SweepException(missing(section, "parameters"), "missing required key (the swept parameters: "
                    + "name: {value: x}, {values: [..]} or {min: a, max: b})");
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        collect(parametersNode, "", parameters, context);

        Map<String, Sweep.Value> fixed = new LinkedHashMap<>();
        List<Parameter> swept = new ArrayList<>();
        for (Parameter p : parameters.values()) {
            if (p.distribution().equals("constant")) {
                fixed.put(p.key(), p.spec().get("value").toValue());
            } else {
                swept.add(p);
            }
        }
        Node runCapNode = sweep.get("run_cap");
        Long runCap = runCapNode == null ? null : runCap(runCapNode);
        if (method.equals("grid")) {
            List<Sweep.Axis> axes = new ArrayList<>();
            long size = 1;
            for (Parameter p : swept) {
                Sweep.Axis axis = gridAxis(p);
                axes.add(axis);
                int n = axis.values().size();
                size = size > Long.MAX_VALUE / n ? Long.MAX_VALUE : size * n;
            }
            if (runCap != null && runCap < size) {
                throw new SweepException(runCapNode.origin(), "run_cap " + runCap + " is below the grid's " + size
                        + " configurations: Ablate runs a grid in full (remove run_cap, or use method: random)");
            }
            return new Sweep(fixed, axes, List.of(), metric);
        }
        if (runCap == null) {
            throw new SweepException(missing(section, "run_cap"), "missing required key for random search: the number "
                    + "of configurations to sample (W&B's random search runs until stopped; Ablate needs a count)");
        }
        long base = SeedStreams.derive(seed, STREAM);
        List<Sweep.Axis> group = new ArrayList<>();
        for (Parameter p : swept) {
            Rng rng = new Rng(SeedStreams.derive(base, p.key()));
            List<Sweep.Value> values = new ArrayList<>(runCap.intValue());
            for (int i = 0; i < runCap; i++) {
                values.add(p.sample(rng));
            }
            group.add(new Sweep.Axis(p.key(), values, p.origin()));
        }
        return new Sweep(fixed, List.of(), group.isEmpty() ? List.of() : List.of(group), metric);
    }

    /** A key that is not there is named as the last step of the path (its parent's line). */
    private static List<Object> missing(Node section, String key) {
        return Node.append(section.origin(), key);
    }

    private static long runCap(Node node) {
        long n = node.asLong();
        if (n < 1 || n > MAX_RUN_CAP) {
            throw new SweepException(node.origin(), "run_cap must be in [1, " + MAX_RUN_CAP + "], got " + n);
        }
        return n;
    }

    private static String metric(Node node) {
        Map<String, Node> m = node.asMap();
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!METRIC_KEYS.contains(e.getKey())) {
                throw unknownKey(e.getValue().origin(), e.getKey(), METRIC_KEYS);
            }
        }
        if (!m.containsKey("name")) {
            throw new SweepException(missing(node, "name"), "missing required key (the metric the sweep optimises)");
        }
        if (m.containsKey("goal")) {
            Node goal = m.get("goal");
            String g = goal.asString();
            if (!GOALS.contains(g)) {
                throw new SweepException(goal.origin(), "unknown goal '" + g + "'" + Suggestions.didYouMean(g, GOALS)
                        + " (accepted: " + String.join(", ", GOALS) + ")");
            }
        }
        if (m.containsKey("target")) {
            number(m.get("target"));
        }
        return m.get("name").asString();
    }

    // ---- parameters ------------------------------------------------------------------------------

    /** One parameter's spec: its dotted key, its distribution (given or inferred) and its keys. */
    private record Parameter(String key, List<Object> origin, String distribution, Map<String, Node> spec) {

        double real(String name, double otherwise) {
            return spec.containsKey(name) ? number(spec.get(name)) : otherwise;
        }

        Sweep.Value sample(Rng rng) {
            return switch (distribution) {
                case "categorical" -> categorical(rng);
                case "int_uniform" -> new Sweep.Value(rng.between(spec.get("min").asLong(), spec.get("max").asLong()), origin);
                case "uniform" -> new Sweep.Value(uniform(rng), origin);
                case "log_uniform_values" -> new Sweep.Value(logUniform(rng), origin);
                case "q_uniform" -> quantised(uniform(rng));
                case "q_log_uniform_values" -> quantised(logUniform(rng));
                case "normal" -> new Sweep.Value(real("mu", 0) + real("sigma", 1) * rng.gaussian(), origin);
                case "log_normal" -> new Sweep.Value(StrictMath.exp(real("mu", 0) + real("sigma", 1) * rng.gaussian()), origin);
                default -> throw new IllegalStateException(distribution);
            };
        }

        private Sweep.Value categorical(Rng rng) {
            List<Node> values = spec.get("values").asList();
            int index;
            if (spec.containsKey("probabilities")) {
                List<Node> p = spec.get("probabilities").asList();
                double u = rng.nextDouble();
                double cumulative = 0;
                index = -1;
                for (int i = 0; i < p.size() && (index < 0 || u >= cumulative); i++) {
                    double pi = number(p.get(i));
                    if (pi > 0) { // if rounding leaves u past the sum, the last possible value
                        index = i;
                        cumulative += pi;
                    }
                }
            } else {
                index = (int) rng.between(0, values.size() - 1);
            }
            return values.get(index).toValue();
        }

        private double uniform(Rng rng) {
            double min = number(spec.get("min"));
            double max = number(spec.get("max"));
            return Math.min(max, min + (max - min) * rng.nextDouble());
        }

        private double logUniform(Rng rng) {
            double min = number(spec.get("min"));
            double max = number(spec.get("max"));
            double lo = StrictMath.log(min);
            double x = StrictMath.exp(lo + (StrictMath.log(max) - lo) * rng.nextDouble());
            return Math.max(min, Math.min(max, x));
        }

        /** W&amp;B's round(x / q) * q, halves to even, an integer when q is written as one. */
        private Sweep.Value quantised(double x) {
            Node q = spec.get("q");
            if (q != null && q.value() instanceof Long lq) {
                return new Sweep.Value((long) Math.rint(x / lq) * lq, origin);
            }
            double dq = q == null ? 1.0 : number(q);
            return new Sweep.Value(Math.rint(x / dq) * dq, origin);
        }
    }

    /** Reads {@code parameters:}; a parameter holding {@code parameters} nests its keys (outer.inner). */
    private static void collect(Node parametersNode, String prefix, Map<String, Parameter> out, SweepSection context) {
        Map<String, Node> parameters = parametersNode.asMap();
        if (parameters.isEmpty()) {
            throw new SweepException(parametersNode.origin(), "empty mapping: give at least one parameter");
        }
        for (Map.Entry<String, Node> e : parameters.entrySet()) {
            String key = prefix + e.getKey();
            Node node = e.getValue();
            if (!node.isMap()) {
                throw new SweepException(node.origin(), "a W&B parameter is a mapping ({value: x}, {values: [..]}, "
                        + "{min: a, max: b} or {parameters: {..}}), got " + node.describe());
            }
            Map<String, Node> spec = node.asMap();
            for (Map.Entry<String, Node> s : spec.entrySet()) {
                if (!PARAMETER_KEYS.contains(s.getKey())) {
                    throw unknownKey(s.getValue().origin(), s.getKey(), PARAMETER_KEYS);
                }
            }
            if (spec.containsKey("parameters")) {
                for (Map.Entry<String, Node> s : spec.entrySet()) {
                    if (!s.getKey().equals("parameters")) {
                        throw new SweepException(s.getValue().origin(),
                                "a parameter with nested 'parameters' takes no other key");
                    }
                }
                collect(spec.get("parameters"), key + ".", out, context);
                continue;
            }
            Parameter p = parameter(key, node, spec);
            Parameter before = out.put(key, p);
            if (before != null) {
                throw new SweepException(node.origin(), "'" + key + "' is written twice (also at "
                        + context.location(before.origin()) + ", as a dotted or a nested key)");
            }
        }
    }

    private static Parameter parameter(String key, Node node, Map<String, Node> spec) {
        String distribution;
        String inferredFrom = null;
        if (spec.containsKey("distribution")) {
            Node d = spec.get("distribution");
            distribution = d.asString();
            if (!DISTRIBUTIONS.containsKey(distribution)) {
                // W&B's older log forms take exponents as bounds; the _values forms take the values
                String hint = DISTRIBUTIONS.containsKey(distribution + "_values")
                        ? ": write " + distribution + "_values, with min and max as values rather than exponents"
                        : Suggestions.didYouMean(distribution, DISTRIBUTIONS.keySet());
                throw new SweepException(d.origin(), "distribution '" + distribution + "' is not supported" + hint
                        + " (accepted: " + String.join(", ", DISTRIBUTIONS.keySet()) + ")");
            }
        } else if (spec.containsKey("value")) {
            distribution = "constant";
            inferredFrom = "value";
        } else if (spec.containsKey("values")) {
            distribution = "categorical";
            inferredFrom = "values";
        } else if (spec.containsKey("min") || spec.containsKey("max")) {
            // W&B's rule: integer bounds give int_uniform, real ones uniform
            boolean ints = (!spec.containsKey("min") || spec.get("min").value() instanceof Long)
                    && (!spec.containsKey("max") || spec.get("max").value() instanceof Long);
            distribution = ints ? "int_uniform" : "uniform";
            inferredFrom = "min/max";
        } else {
            throw new SweepException(node.origin(), "cannot tell the distribution: give 'value', 'values', "
                    + "or 'min' and 'max' (normal and log_normal need 'distribution')");
        }
        Set<String> accepted = DISTRIBUTIONS.get(distribution);
        for (Map.Entry<String, Node> s : spec.entrySet()) {
            if (!s.getKey().equals("distribution") && !accepted.contains(s.getKey())) {
                throw new SweepException(s.getValue().origin(), "does not apply to distribution '" + distribution + "'"
                        + (inferredFrom == null ? "" : ", which '" + inferredFrom + "' implies")
                        + " (accepted: distribution, " + String.join(", ", accepted) + ")");
            }
        }
        List<Object> origin = node.origin();
        switch (distribution) {
            case "constant" -> require(spec, origin, distribution, "value");
            case "categorical" -> checkValues(spec, origin);
            case "normal", "log_normal" -> {
                if (spec.containsKey("mu")) {
                    number(spec.get("mu"));
                }
                if (spec.containsKey("sigma") && number(spec.get("sigma")) < 0) {
                    throw new SweepException(spec.get("sigma").origin(), "sigma must be at least 0, got "
                            + spec.get("sigma").describe());
                }
            }
            default -> checkRange(spec, origin, distribution);
        }
        return new Parameter(key, origin, distribution, spec);
    }

    private static void require(Map<String, Node> spec, List<Object> origin, String distribution, String... keys) {
        for (String k : keys) {
            if (!spec.containsKey(k)) {
                throw new SweepException(origin, "distribution '" + distribution + "' needs '"
                        + String.join("' and '", keys) + "'");
            }
        }
    }

    private static void checkValues(Map<String, Node> spec, List<Object> origin) {
        require(spec, origin, "categorical", "values");
        Node values = spec.get("values");
        if (values.asList().isEmpty()) {
            throw new SweepException(values.origin(), "empty list: a swept parameter needs at least one value");
        }
        Node probabilities = spec.get("probabilities");
        if (probabilities == null) {
            return;
        }
        List<Node> p = probabilities.asList();
        if (p.size() != values.asList().size()) {
            throw new SweepException(probabilities.origin(), p.size() + " probabilities for "
                    + values.asList().size() + " values (give one per value)");
        }
        double sum = 0;
        for (Node item : p) {
            double x = item.value() instanceof Number ? number(item) : Double.NaN;
            if (!(x >= 0 && x <= 1)) {
                throw new SweepException(item.origin(), "expected a probability in [0, 1], got " + item.describe());
            }
            sum += x;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new SweepException(probabilities.origin(), "probabilities must sum to 1, got " + sum);
        }
    }

    private static void checkRange(Map<String, Node> spec, List<Object> origin, String distribution) {
        require(spec, origin, distribution, "min", "max");
        Node minNode = spec.get("min");
        Node maxNode = spec.get("max");
        if (distribution.equals("int_uniform")) {
            for (Node n : List.of(minNode, maxNode)) {
                if (!(n.value() instanceof Long)) {
                    throw new SweepException(n.origin(), "int_uniform needs integer bounds, got " + n.describe());
                }
            }
        }
        double min = number(minNode);
        double max = number(maxNode);
        if (min > max) {
            throw new SweepException(maxNode.origin(), "max " + maxNode.describe() + " is below min "
                    + minNode.describe());
        }
        if (distribution.contains("log") && min <= 0) {
            throw new SweepException(minNode.origin(), distribution + " needs min > 0, got " + minNode.describe());
        }
        if (spec.containsKey("q") && !(number(spec.get("q")) > 0)) {
            throw new SweepException(spec.get("q").origin(), "q must be above 0, got " + spec.get("q").describe());
        }
    }

    /** A finite number, as a double. */
    private static double number(Node node) {
        if (node.value() instanceof Long l) {
            return l;
        }
        if (node.value() instanceof Double d && Double.isFinite(d)) {
            return d;
        }
        throw new SweepException(node.origin(), "expected a finite number, got " + node.describe());
    }

    private static Sweep.Axis gridAxis(Parameter p) {
        if (p.distribution().equals("categorical")) {
            Node values = p.spec().get("values");
            return new Sweep.Axis(p.key(), values.asList().stream().map(Node::toValue).toList(), values.origin());
        }
        if (p.distribution().equals("int_uniform")) {
            long min = p.spec().get("min").asLong();
            long max = p.spec().get("max").asLong();
            if ((double) max - (double) min + 1 > MAX_GRID_RANGE) {
                throw new SweepException(p.origin(), "grid search enumerates at most " + MAX_GRID_RANGE
                        + " integers, and [" + min + ", " + max + "] holds more (give 'values' instead)");
            }
            List<Sweep.Value> values = new ArrayList<>();
            for (long v = min; v <= max; v++) {
                values.add(new Sweep.Value(v, p.origin()));
            }
            return new Sweep.Axis(p.key(), values, p.origin());
        }
        throw new SweepException(p.origin(), "grid search needs 'values' for this parameter: distribution '"
                + p.distribution() + "' cannot be enumerated (accepted: value, values, or an int_uniform min/max)");
    }

    private static SweepException unknownKey(List<Object> at, String key, Set<String> accepted) {
        return new SweepException(at, "unknown key" + Suggestions.didYouMean(key, accepted)
                + " (accepted: " + String.join(", ", accepted) + ")");
    }

    /** A part of the section: its plain value and its path, read with the checks (and messages) of the YAML reader's nodes. */
    private record Node(Object value, List<Object> origin) {

        static List<Object> append(List<Object> path, Object step) {
            List<Object> out = new ArrayList<>(path);
            out.add(step);
            return List.copyOf(out);
        }

        boolean isMap() {
            return value instanceof Map;
        }

        boolean isList() {
            return value instanceof List;
        }

        Map<String, Node> asMap() {
            if (!(value instanceof Map<?, ?> m)) {
                throw new SweepException(origin, "expected a mapping of keys to values, got " + describe());
            }
            Map<String, Node> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, new Node(v, append(origin, k))));
            return out;
        }

        List<Node> asList() {
            if (!(value instanceof List<?> l)) {
                throw new SweepException(origin, "expected a list, got " + describe());
            }
            List<Node> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(l.get(i), append(origin, i)));
            }
            return out;
        }

        String asString() {
            if (!(value instanceof String s)) {
                throw new SweepException(origin, "expected a string, got " + describe());
            }
            return s;
        }

        long asLong() {
            if (!(value instanceof Long l)) {
                throw new SweepException(origin, "expected an integer, got " + describe());
            }
            return l;
        }

        Sweep.Value toValue() {
            return new Sweep.Value(value, origin);
        }

        String describe() {
            return isMap() ? "a mapping" : isList() ? "a list" : Values.describe(value);
        }
    }

    private static Set<String> ordered(String... keys) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
    }

    /** SplitMix64: a small generator whose sequence is fixed by its seed on every JVM. */
    private static final class Rng {

        private long state;

        Rng(long seed) {
            state = seed;
        }

        long next() {
            long out = SeedStreams.mix(state);
            state += 0x9E3779B97F4A7C15L;
            return out;
        }

        /** Uniform in [0, 1), 53 random bits. */
        double nextDouble() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        /** Uniform over the integers in [min, max], without modulo bias. */
        long between(long min, long max) {
            long span = max - min + 1; // as an unsigned count; 0 means all 2^64 values
            if (span == 0) {
                return next();
            }
            long limit = Long.remainderUnsigned(-span, span); // 2^64 mod span: the biased low end
            long r;
            do {
                r = next();
            } while (Long.compareUnsigned(r, limit) < 0);
            return min + Long.remainderUnsigned(r, span);
        }

        /** A standard normal draw (Box-Muller), with StrictMath so it is the same everywhere. */
        double gaussian() {
            double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
            double u2 = nextDouble();
            return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
        }
    }
}
