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

/**
 * Ablate's own sweep dialect, the default sweeper (registered by the framework's built-in plugin
 * as {@code grid}): {@code grid:} axes crossed, {@code zip:} lists that vary together (a mapping,
 * or a list of them); nested mappings become dotted keys.
 *
 * <pre>
 * sweep:
 *   grid: {samples: [100, 1000]}        # cartesian product
 *   zip:  {a: [1, 2], b: [x, y]}        # lists that vary together (or a list of such groups)
 * </pre>
 */
public final class GridSweeper implements Sweeper {

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("grid", "zip"));

    /** Every section no other sweeper claims is read as grid/zip, so its own mistakes are reported here. */
    @Override
    public boolean reads(Map<String, Object> section) {
        return true;
    }

    @Override
    public Sweep sweep(SweepSection section) {
        Map<String, Object> sweep = section.values();
        for (String key : sweep.keySet()) {
            if (!KEYS.contains(key)) {
                throw new SweepException(List.of(key), "unknown key" + Suggestions.didYouMean(key, KEYS)
                        + " (accepted: " + String.join(", ", KEYS) + ")");
            }
        }
        List<Sweep.Axis> grid = sweep.containsKey("grid") ? axes(section, sweep.get("grid"), List.of("grid")) : List.of();
        List<List<Sweep.Axis>> zips = new ArrayList<>();
        if (sweep.containsKey("zip")) {
            Object zip = sweep.get("zip");
            if (zip instanceof List<?> groups) {
                for (int i = 0; i < groups.size(); i++) {
                    zips.add(zipGroup(section, groups.get(i), List.of("zip", i)));
                }
            } else {
                zips.add(zipGroup(section, zip, List.of("zip")));
            }
        }
        return new Sweep(Map.of(), grid, zips, null);
    }

    private static List<Sweep.Axis> axes(SweepSection section, Object node, List<Object> at) {
        Map<String, Sweep.Value> flat = new LinkedHashMap<>();
        flatten(section, node, "", at, flat);
        List<Sweep.Axis> axes = new ArrayList<>();
        for (Map.Entry<String, Sweep.Value> e : flat.entrySet()) {
            Sweep.Value list = e.getValue();
            if (!(list.value() instanceof List<?> values)) {
                throw new SweepException(list.at(), "a swept parameter takes a list of values, got "
                        + describe(list.value()) + " (write a single value under 'params')");
            }
            if (values.isEmpty()) {
                throw new SweepException(list.at(), "empty list: a swept parameter needs at least one value");
            }
            List<Sweep.Value> items = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                items.add(new Sweep.Value(values.get(i), append(list.at(), i)));
            }
            axes.add(new Sweep.Axis(e.getKey(), items, list.at()));
        }
        return axes;
    }

    /** Nested mappings become dotted keys: {sketch: {s: [4]}} → sketch.s. */
    private static void flatten(SweepSection section, Object node, String prefix, List<Object> at, Map<String, Sweep.Value> out) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new SweepException(at, "expected a mapping of keys to values, got " + describe(node));
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            List<Object> here = append(at, e.getKey());
            if (e.getValue() instanceof Map) {
                flatten(section, e.getValue(), prefix + e.getKey() + ".", here, out);
            } else {
                Sweep.Value before = out.put(prefix + e.getKey(), new Sweep.Value(e.getValue(), here));
                if (before != null) {
                    throw new SweepException(here, "'" + prefix + e.getKey() + "' is written twice (also at "
                            + section.location(before.at()) + ", as a dotted or a nested key)");
                }
            }
        }
    }

    private static List<Sweep.Axis> zipGroup(SweepSection section, Object group, List<Object> at) {
        List<Sweep.Axis> axes = axes(section, group, at);
        if (axes.isEmpty()) {
            throw new SweepException(at, "empty zip group: give the lists that vary together");
        }
        int n = axes.get(0).values().size();
        for (Sweep.Axis a : axes) {
            if (a.values().size() != n) {
                throw new SweepException(a.at(), "zipped lists must have equal lengths: '" + axes.get(0).key()
                        + "' has " + n + " values, '" + a.key() + "' has " + a.values().size());
            }
        }
        return axes;
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> out = new ArrayList<>(path);
        out.add(step);
        return out;
    }

    private static String describe(Object value) {
        return value instanceof Map ? "a mapping" : value instanceof List ? "a list" : Values.describe(value);
    }
}
