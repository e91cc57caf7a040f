package org.ablate.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a plugin registers for one named component: its kind, name, description, parameter schema,
 * the class Guice instantiates, the plugin it came from (for error messages and provenance), and
 * for a task the metrics it declares it logs.
 */
public record ComponentDefinition(
        ComponentKey key,
        String description,
        ParameterSchema schema,
        Class<?> implementation,
        Class<? extends Plugin> origin,
        MetricSchema metrics) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    public ComponentDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(implementation, "implementation");
        Objects.requireNonNull(origin, "origin");
        if (!NAME.matcher(key.name()).matches()) {
            throw new IllegalArgumentException("component name '" + key.name() + "' registered by "
                    + origin.getName() + " must match " + NAME.pattern());
        }
        if (!key.kind().isAssignableFrom(implementation)) {
            throw new IllegalArgumentException(implementation.getName() + " registered as " + key
                    + " by " + origin.getName() + " does not implement " + key.kind().getName());
        }
        description = description == null ? "" : description.strip();
        metrics = metrics == null ? MetricSchema.undeclared() : metrics;
    }

    /** A component that declares no metrics (every kind but a task, or a task checked only after it ran). */
    public ComponentDefinition(ComponentKey key, String description, ParameterSchema schema, Class<?> implementation,
                               Class<? extends Plugin> origin) {
        this(key, description, schema, implementation, origin, MetricSchema.undeclared());
    }

    public String name() {
        return key.name();
    }

    public Class<?> kind() {
        return key.kind();
    }
}
