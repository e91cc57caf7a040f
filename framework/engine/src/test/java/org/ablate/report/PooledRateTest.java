package org.ablate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.Test;

/** The exact binomial interval of a rate's draws pooled over seeds. */
class PooledRateTest {

    static TrialResult trial(long seed, double rate, Map<String, Object> params, Map<String, Double> extra) {
        Map<String, Double> summary = new java.util.LinkedHashMap<>(extra);
        summary.put("failure_rate", rate);
        return new TrialResult("t" + seed, seed, params, TrialState.FINISHED, summary, null, null);
    }

    /** Trials of {@code draws} draws each (the task's parameter) with these numbers of failures. */
    static List<TrialResult> trials(int draws, int... failures) {
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < failures.length; i++) {
            out.add(trial(i, failures[i] / (double) draws, Map.of("draws", (long) draws), Map.of()));
        }
        return out;
    }

    @Test
    void clopperPearsonAgainstPublishedAndClosedFormValues() {
        // 5 of 20: (0.0866, 0.4910), the textbook example (e.g. Agresti & Coull 1998, Table I's exact interval)
        PooledRate p = PooledRate.of(trials(20, 5), "failure_rate", "draws");
        assertEquals(0.08657, p.low(), 5e-5);
        assertEquals(0.49105, p.high(), 5e-5);
        // none of n: [0, 1 − 0.025^(1/n)]; all of n: [0.025^(1/n), 1]
        PooledRate none = PooledRate.of(trials(10, 0), "failure_rate", "draws");
        assertEquals(0.0, none.low(), 0.0);
        assertEquals(1 - Math.pow(0.025, 0.1), none.high(), 1e-12);
        assertEquals(0.30850, none.high(), 5e-5);
        PooledRate all = PooledRate.of(trials(10, 10), "failure_rate", "draws");
        assertEquals(Math.pow(0.025, 0.1), all.low(), 1e-12);
        assertEquals(1.0, all.high(), 0.0);
    }

    @Test
    void poolsEventsAndDrawsOverSeedsExactly() {
        // 2 failures in 3 × 112 draws: the rates 2/112, 0, 0 give back 2 of 336
        PooledRate p = PooledRate.of(trials(112, 2, 0, 0), "failure_rate", "draws");
        assertEquals(3, p.seeds());
        assertEquals(2, p.events());
        assertEquals(336, p.draws());
        assertEquals(2.0 / 336, p.proportion(), 1e-15);
        assertTrue(p.low() > 0 && p.high() < 0.025, p.toString());
    }

    @Test
    void aCountInTheSummaryIsPreferredToTheParameter() {
        TrialResult t = trial(0, 0.25, Map.of("draws", 8L), Map.of("draws", 4.0));
        PooledRate p = PooledRate.of(List.of(t), "failure_rate", "draws");
        assertEquals(1, p.events());
        assertEquals(4, p.draws());
    }

    @Test
    void aRateThatIsNotAWholeNumberOfEventsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PooledRate.of(List.of(trial(0, 0.3, Map.of("draws", 7L), Map.of())), "failure_rate", "draws"));
        assertEquals("trial t0: failure_rate = 0.3 is not a whole number of events of draws = 7.0", e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PooledRate.of(List.of(trial(0, 0.5, Map.of(), Map.of())), "failure_rate", "draws"));
        assertEquals("trial t0 has no summary or parameter 'draws' to pool", missing.getMessage());
    }
}
