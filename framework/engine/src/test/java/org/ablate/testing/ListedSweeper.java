package org.ablate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.spi.sweep.Sweep;
import org.ablate.spi.sweep.SweepException;
import org.ablate.spi.sweep.SweepSection;
import org.ablate.spi.sweep.Sweeper;

/**
 * A sweep dialect a plugin adds: {@code sweep: {configurations: [{x: 1, mode: ok}, ...]}}, the
 * configurations listed one by one. Written against the SPI alone, as a third party would.
 */
public final class ListedSweeper implements Sweeper {

    @Override
    public boolean reads(Map<String, Object> section) {
        return section.containsKey("configurations");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Sweep sweep(SweepSection section) {
        if (section.values().size() != 1) {
            throw new SweepException(List.of(), "a listed sweep takes 'configurations' alone");
        }
        Object listed = section.values().get("configurations");
        if (!(listed instanceof List<?> items)) {
            throw new SweepException(List.of("configurations"), "expected a list of configurations");
        }
        List<Map<String, Object>> configurations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> c)) {
                throw new SweepException(List.of("configurations", i), "expected a configuration (a mapping)");
            }
            configurations.add((Map<String, Object>) c);
        }
        return Sweep.of(configurations, List.of("configurations"));
    }
}
