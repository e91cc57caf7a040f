package org.ablate.experiment;

import java.util.Map;
import java.util.stream.Collectors;
import org.ablate.config.Values;
import org.ablate.spi.Parameters;

/**
 * One trial of a sweep: its identity hash, the task, resolved parameters and seed, and the values
 * of the parameters that vary across the sweep (what names it in tables and tracking UIs).
 */
public record TrialSpec(String id, int index, String task, Parameters params, long seed, Map<String, Object> varying) {

    public TrialSpec {
        varying = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(varying));
    }

    /** "samples=1000 sampler=sobol seed=2": the varying parameters, then the seed. */
    public String displayName() {
        String params = varying.entrySet().stream()
                .map(e -> e.getKey() + "=" + Values.format(e.getValue()))
                .collect(Collectors.joining(" "));
        return (params.isEmpty() ? "" : params + " ") + "seed=" + seed;
    }
}
