package org.ablate.experiment;

import java.util.List;
import org.ablate.spi.ComponentDefinition;

/** An experiment expanded into validated trials, in the order they run. */
public record SweepPlan(ExperimentSpec experiment, ComponentDefinition task, List<TrialSpec> trials,
                        List<String> varyingKeys, int configurations, int duplicatesDropped) {

    public SweepPlan {
        trials = List.copyOf(trials);
        varyingKeys = List.copyOf(varyingKeys);
    }
}
