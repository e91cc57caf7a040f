package org.ablate.report;

import java.util.Map;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;

/** One trial as the report sees it: its parameters, seed, how it ended (null: not started) and its summary. */
public record TrialResult(String id, long seed, Map<String, Object> params, TrialState state,
                          Map<String, Double> summary, TrialFolder folder) {
}
