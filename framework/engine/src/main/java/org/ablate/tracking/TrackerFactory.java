package org.ablate.tracking;

import java.util.Map;
import org.ablate.experiment.SweepPlan;
import org.ablate.store.ExperimentFolder;

/** Opens the tracker of one sweep invocation, once the experiment's folder is locked and recorded. */
@FunctionalInterface
public interface TrackerFactory {

    TrackerFactory NONE = (folder, plan, provenance) -> Tracker.NONE;

    Tracker open(ExperimentFolder folder, SweepPlan plan, Map<String, Object> provenance);
}
