package org.ablate.report;

import java.util.Map;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/**
 * One trial as the report sees it: its parameters, seed, how it ended (null: not started) and its
 * summary. A damaged trial ({@code damage}: "FILE: what is wrong") has no summary and is not
 * finished, whatever its status file says.
 */
public record TrialResult(String id, long seed, Map<String, Object> params, TrialState state,
                          Map<String, Double> summary, TrialFolder folder, String damage) {

    /** Recorded FINISHED with intact files: the trials whose numbers count. */
    public boolean finished() {
        return state == TrialState.FINISHED && damage == null;
    }
}
