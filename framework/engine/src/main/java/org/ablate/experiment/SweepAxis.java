package org.ablate.experiment;

import java.util.List;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;

/** One swept parameter and the values it takes. */
public record SweepAxis(String key, List<Sourced> values, Origin origin) {

    public SweepAxis {
        values = List.copyOf(values);
    }
}
