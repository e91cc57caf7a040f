package org.ablate.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ordered parameters a component declares. */
public final class ParameterSchema {

    /** Names the experiment file uses for seeding; a component may not declare them. */
    public static final Set<String> RESERVED = Set.of("seed", "seeds", "repeats");

    private static final ParameterSchema EMPTY = new ParameterSchema(List.of());

    private final Map<String, ParameterSpec> specs;

    private ParameterSchema(List<ParameterSpec> specs) {
        Map<String, ParameterSpec> map = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            if (RESERVED.contains(spec.name())) {
                throw new IllegalArgumentException("parameter name '" + spec.name() + "' is reserved for seeding");
            }
            if (!spec.name().matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("parameter name '" + spec.name()
                        + "' must be lower_snake_case (dots separate nested components)");
            }
            if (map.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' declared twice");
            }
        }
        this.specs = Collections.unmodifiableMap(map);
    }

    public static ParameterSchema empty() {
        return EMPTY;
    }

    public static ParameterSchema of(Param... params) {
        List<ParameterSpec> list = new ArrayList<>();
        for (Param p : params) {
            list.add(p.build());
        }
        return new ParameterSchema(list);
    }

    public List<ParameterSpec> parameters() {
        return List.copyOf(specs.values());
    }

    public Optional<ParameterSpec> find(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    public Set<String> names() {
        return specs.keySet();
    }
}
