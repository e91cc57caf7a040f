package org.ablate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.YamlNode;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.sweep.Sweep;
import org.ablate.spi.sweep.SweepException;
import org.ablate.spi.sweep.SweepSection;
import org.ablate.spi.sweep.Sweeper;
import org.slf4j.LoggerFactory;

/**
 * Hands an experiment file's {@code sweep:} section to the sweeper whose dialect it is (a
 * registered {@link Sweeper} that {@link Sweeper#reads} it, else the default {@code grid}), as
 * plain values, and turns its answer back into located axes: a path the sweeper names becomes
 * the line the user wrote it on.
 */
final class SweepSections {

    /** The sweeper of every section that no other one claims. */
    static final String DEFAULT = "grid";

    /** What the section declares, with origins. */
    record Read(Map<String, Sourced> fixed, List<SweepAxis> grid, List<List<SweepAxis>> zips, String metric) {
    }

    private SweepSections() {
    }

    private static ComponentRegistry installed;

    /** The installed plugins' registry, discovered once per process for files read outside a run. */
    static synchronized ComponentRegistry installed() {
        if (installed == null) {
            installed = org.ablate.plugin.PluginRuntime.start().registry();
        }
        return installed;
    }

    /** @param seed the file's base seed, read only if the sweeper asks (a grid does not) */
    static Read read(YamlNode node, java.util.function.LongSupplier seed, Supplier<ComponentRegistry> registry) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) node.toPlain();
        Sweeper sweeper = choose(node, values, registry.get());
        Sweep sweep;
        try {
            sweep = sweeper.sweep(new Section(node, values, seed, sweeper.getClass()));
        } catch (SweepException e) {
            throw new ConfigException(origin(node, e.path()), e.getMessage());
        }
        Map<String, Sourced> fixed = new LinkedHashMap<>();
        sweep.fixed().forEach((k, v) -> fixed.put(k, sourced(node, v)));
        List<SweepAxis> grid = sweep.grid().stream().map(a -> axis(node, a)).toList();
        List<List<SweepAxis>> zips = sweep.zips().stream().map(g -> g.stream().map(a -> axis(node, a)).toList()).toList();
        return new Read(fixed, grid, zips, sweep.metric());
    }

    private static Sweeper choose(YamlNode node, Map<String, Object> values, ComponentRegistry registry) {
        List<String> claiming = new ArrayList<>();
        Sweeper chosen = null;
        for (String name : registry.names(Sweeper.class)) {
            if (name.equals(DEFAULT)) {
                continue;
            }
            Sweeper s = registry.create(Sweeper.class, name);
            if (s.reads(values)) {
                claiming.add(name);
                chosen = s;
            }
        }
        if (claiming.size() > 1) {
            throw new ConfigException(node.origin(), "the section is in the dialect of several sweepers ("
                    + String.join(", ", claiming) + "); remove one of the plugins that register them");
        }
        return chosen != null ? chosen : registry.create(Sweeper.class, DEFAULT);
    }

    private static SweepAxis axis(YamlNode section, Sweep.Axis a) {
        return new SweepAxis(a.key(), a.values().stream().map(v -> sourced(section, v)).toList(), origin(section, a.at()));
    }

    private static Sourced sourced(YamlNode section, Sweep.Value v) {
        return new Sourced(v.value(), origin(section, v.at()));
    }

    /** The origin of the part at {@code path}; past the last part that exists, its origin with the missing keys added. */
    static Origin origin(YamlNode section, List<Object> path) {
        YamlNode node = section;
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            YamlNode next = null;
            if (step instanceof String key && node.isMap()) {
                next = node.asMap().get(key);
            } else if (step instanceof Integer index && node.isList() && index >= 0 && index < node.asList().size()) {
                next = node.asList().get(index);
            }
            if (next == null) {
                StringBuilder key = new StringBuilder(node.origin().key());
                for (Object rest : path.subList(i, path.size())) {
                    key.append(rest instanceof Integer n ? "[" + n + "]" : "." + rest);
                }
                return new Origin(node.origin().source(), node.origin().line(), key.toString());
            }
            node = next;
        }
        return node.origin();
    }

    /** The section as the SPI hands it over. */
    private record Section(YamlNode node, Map<String, Object> values, java.util.function.LongSupplier seedOf, Class<?> owner)
            implements SweepSection {

        @Override
        public long seed() {
            return seedOf.getAsLong();
        }

        @Override
        public String location(List<Object> path) {
            return origin(node, path).location();
        }

        @Override
        public void warn(List<Object> path, String message) {
            LoggerFactory.getLogger(owner).warn("{}: {}", origin(node, path), message);
        }
    }
}
