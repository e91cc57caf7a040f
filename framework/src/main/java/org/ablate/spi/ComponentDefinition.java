package org.ablate.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a plugin registers for one named component: its kind, name, description, parameter schema,
 * the class Guice instantiates, and the plugin it came from (for error messages and provenance).
 */
public record ComponentDefinition(
        ComponentKey key,
        String description,
        ParameterSchema schema,
        Class<?> implementation,
        Class<? extends Plugin> origin) {

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
    }

    public String name() {
        return key.name();
    }

    public Class<?> kind() {
        return key.kind();
    }
}
