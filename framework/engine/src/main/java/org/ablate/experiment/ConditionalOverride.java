package org.ablate.experiment;

import java.util.Map;
import org.ablate.config.Sourced;
import org.ablate.config.Values;

/**
 * A per-configuration override: in every configuration whose values match {@code when}, the
 * parameters in {@code set} take the given values (e.g. a larger learning rate for one model).
 */
public record ConditionalOverride(Map<String, Sourced> when, Map<String, Sourced> set) {

    public ConditionalOverride {
        when = Map.copyOf(when);
        set = Map.copyOf(set);
    }

    /** True when every key in {@code when} has the same value in {@code config}. */
    public boolean matches(Map<String, Sourced> config) {
        return when.entrySet().stream().allMatch(e -> {
            Sourced actual = config.get(e.getKey());
            return actual != null && Values.sameValue(actual.value(), e.getValue().value());
        });
    }
}
