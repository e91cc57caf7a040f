package org.ablate.run;

import java.time.Duration;
import java.util.Map;
import org.ablate.experiment.TrialSpec;
import org.ablate.store.TrialState;

/** How a trial ended: state, reason (empty when FINISHED), duration and summary metrics. */
public record TrialOutcome(TrialSpec spec, TrialState state, String reason, Duration duration,
                           Map<String, Double> summary) {
}
