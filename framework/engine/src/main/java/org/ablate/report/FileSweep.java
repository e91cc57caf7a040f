package org.ablate.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ablate.config.Sourced;
import org.ablate.config.Values;
import org.ablate.experiment.ConditionalOverride;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.SweepAxis;

/**
 * The parameters an experiment file itself sweeps, with the values it gives them, before any
 * command-line override. A report section is written against this sweep; an invocation that fixes
 * one of these parameters (or runs some of its values only) is a narrower run of the same
 * experiment, not a mistake in the file: a plot or claim about a value it did not run is left out
 * or INCONCLUSIVE with the reason, where a value no sweep of the file has stays an error.
 */
public final class FileSweep {

    private final Map<String, List<Object>> values = new LinkedHashMap<>();
    private final List<String> anyValue = new ArrayList<>();

    private FileSweep() {
    }

    /** Grid and zip axes, and the keys conditional overrides set (they vary with the axes they match on). */
    public static FileSweep of(ExperimentSpec file) {
        FileSweep s = new FileSweep();
        List<SweepAxis> axes = new ArrayList<>(file.grid());
        file.zips().forEach(axes::addAll);
        for (SweepAxis axis : axes) {
            axis.values().forEach(v -> s.add(axis.key(), v.value()));
        }
        for (ConditionalOverride o : file.overrides()) {
            o.set().forEach((k, v) -> {
                Sourced base = file.params().get(k);
                if (base != null) {
                    s.add(k, base.value());
                }
                s.add(k, v.value());
            });
        }
        return s;
    }

    private void add(String key, Object value) {
        List<Object> known = values.computeIfAbsent(key, k -> new ArrayList<>());
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof List)) {
            anyValue.add(key); // a glob(...) pattern: its values are only known with the task's schema
        } else if (known.stream().noneMatch(v -> Values.sameValue(v, value))) {
            known.add(value);
        }
    }

    public boolean sweeps(String key) {
        return values.containsKey(key);
    }

    /** True when the file's sweep gives {@code key} this value (or may: a glob). */
    public boolean has(String key, Object value) {
        return anyValue.contains(key) || values.getOrDefault(key, List.of()).stream().anyMatch(v -> Values.sameValue(v, value));
    }

    /** The values the file gives the key, as written, in its order. */
    public List<Object> values(String key) {
        return values.getOrDefault(key, List.of());
    }

    /**
     * Why a selection ({@code where}, {@code baseline}) that matches none of these configurations is
     * a value this invocation did not run rather than a mistake: "no configuration of this
     * invocation has sampler=halton". Empty when it is a mistake (a value the file never sweeps).
     */
    public Optional<String> notRunHere(Map<String, Object> selection, List<Configuration> configurations) {
        Map<String, Object> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : selection.entrySet()) {
            boolean ran = configurations.stream().anyMatch(k -> k.matches(Map.of(e.getKey(), e.getValue())));
            if (!ran) {
                if (!has(e.getKey(), e.getValue())) {
                    return Optional.empty();
                }
                missing.put(e.getKey(), e.getValue());
            }
        }
        // each value ran, never together: say which combination
        Map<String, Object> shown = missing.isEmpty() ? selection : missing;
        return Optional.of("no configuration of this invocation has " + new Configuration(shown, 0, 0, Map.of()).label());
    }
}
