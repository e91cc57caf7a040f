package org.ablate.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * Identifies a component: its kind (the SPI interface it implements, e.g. {@link Task}) and its name.
 */
public record ComponentKey(Class<?> kind, String name) {

    public ComponentKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    /** The kind as users read it: {@code Task} → "task". */
    public static String kindName(Class<?> kind) {
        return kind.getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return kindName(kind) + " '" + name + "'";
    }
}
