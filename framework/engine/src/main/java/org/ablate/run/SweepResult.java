package org.ablate.run;

import java.nio.file.Path;
import java.util.List;
import org.ablate.store.TrialState;

/** What a sweep invocation did: trials skipped as already finished, and the outcome of each run. */
public record SweepResult(Path folder, int skipped, List<TrialOutcome> outcomes, boolean interrupted) {

    public SweepResult {
        outcomes = List.copyOf(outcomes);
    }

    public long count(TrialState state) {
        return outcomes.stream().filter(o -> o.state() == state).count();
    }

    public boolean allFinished() {
        return !interrupted && outcomes.stream().allMatch(o -> o.state() == TrialState.FINISHED);
    }
}
