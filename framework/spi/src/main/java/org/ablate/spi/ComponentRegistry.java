package org.ablate.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every component the loaded plugins registered, looked up by kind and name. Injectable: a
 * component that picks sub-components by name takes it as a constructor parameter.
 */
public interface ComponentRegistry {

    Optional<ComponentDefinition> find(Class<?> kind, String name);

    /** The definition, or an {@link IllegalArgumentException} listing the registered names. */
    ComponentDefinition definition(Class<?> kind, String name);

    /** Registered names of one kind, sorted. */
    List<String> names(Class<?> kind);

    Set<Class<?>> kinds();

    /** A new instance of the named component, created by Guice, with no parameters of its own. */
    default <T> T create(Class<T> kind, String name) {
        return create(kind, name, new Parameters(java.util.Map.of()));
    }

    /**
     * A new instance of the named component, created by Guice: its constructor receives
     * {@code params} as {@link ComponentParams @ComponentParams Parameters} (the component's own,
     * already scoped: {@code ctx.params().scope("sketch")} for the "sketch" parameter) and any
     * other binding, such as this registry (for components made of components) or the
     * {@link SharedCache}. An exception its constructor throws reaches the caller unchanged.
     */
    <T> T create(Class<T> kind, String name, Parameters params);
}
