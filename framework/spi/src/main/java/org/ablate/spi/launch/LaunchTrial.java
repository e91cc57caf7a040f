package org.ablate.spi.launch;

import java.util.Objects;

/**
 * A pending trial as a launcher sees it: its id (what {@code ablate run-trial --trial} takes), its
 * place in the sweep, the name people read (varying parameters and seed), and what it asks for.
 */
public record LaunchTrial(String id, int index, String name, Resources resources) {

    public LaunchTrial {
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
        resources = resources == null ? Resources.NONE : resources;
    }
}
