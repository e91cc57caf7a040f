package org.ablate.spi;

/**
 * The one entry point of a plugin: a Guice module found with {@link java.util.ServiceLoader}.
 *
 * <p>A plugin jar lists its implementation in {@code META-INF/services/org.ablate.spi.Plugin}.
 * Extend {@link AbstractPlugin}, which offers the registration helpers; implementing this
 * interface directly is possible but then the components must be bound by hand.
 */
public interface Plugin extends com.google.inject.Module {

    /** Short, stable name shown by {@code ablate plugins} and recorded in provenance. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The plugin's version: the jar manifest's Implementation-Version, else "dev". */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
