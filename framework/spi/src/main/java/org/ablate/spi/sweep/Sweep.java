package org.ablate.spi.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configurations a sweep section declares: the product of the {@code grid} axes, crossed
 * with each group of {@code zips} (axes that vary together, one configuration per position),
 * plus {@code fixed} values for every configuration. Parameter keys are dotted
 * ({@code sketch.s}); every value says where in the section it was written, so that a value the
 * task refuses is reported at its line.
 *
 * @param metric the headline metric the section names (W&amp;B's {@code metric.name}), or null
 */
public record Sweep(Map<String, Value> fixed, List<Axis> grid, List<List<Axis>> zips, String metric) {

    public Sweep {
        fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        grid = List.copyOf(grid);
        zips = zips.stream().map(List::copyOf).toList();
    }

    /** A sweep of exactly these configurations, in this order (each one a map of the same keys), written at {@code at}. */
    public static Sweep of(List<Map<String, Object>> configurations, List<Object> at) {
        if (configurations.isEmpty()) {
            throw new SweepException(at, "no configurations: a sweep needs at least one");
        }
        List<Axis> group = new ArrayList<>();
        for (String key : configurations.get(0).keySet()) {
            List<Value> values = new ArrayList<>();
            for (Map<String, Object> c : configurations) {
                if (!c.keySet().equals(configurations.get(0).keySet())) {
                    throw new SweepException(at, "every configuration must set the same keys (" + configurations.get(0).keySet()
                            + "), got " + c.keySet());
                }
                values.add(new Value(c.get(key), at));
            }
            group.add(new Axis(key, values, at));
        }
        return new Sweep(Map.of(), List.of(), group.isEmpty() ? List.of() : List.of(group), null);
    }

    /** A value and where in the section it was written. */
    public record Value(Object value, List<Object> at) {
        public Value {
            at = List.copyOf(at);
        }
    }

    /** One swept parameter: its values in order, and where the list of them was written. */
    public record Axis(String key, List<Value> values, List<Object> at) {
        public Axis {
            values = List.copyOf(values);
            at = List.copyOf(at);
        }
    }
}
