package org.ablate.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every component the loaded plugins registered, looked up by kind and name. */
public interface ComponentRegistry {

    Optional<ComponentDefinition> find(Class<?> kind, String name);

    /** The definition, or an {@link IllegalArgumentException} listing the registered names. */
    ComponentDefinition definition(Class<?> kind, String name);

    /** Registered names of one kind, sorted. */
    List<String> names(Class<?> kind);

    Set<Class<?>> kinds();

    /** A new instance of the named component, created by Guice. */
    <T> T create(Class<T> kind, String name);
}
