package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a results folder and aggregating its trials per configuration, the seed aside. */
class ReportAggregationTest {

    private static final double EPS = 1e-9;

    @TempDir
    Path tmp;

    private ExperimentResults results;
    private List<Configuration> configurations;

    @BeforeEach
    void fixture() throws Exception {
        ResultsFixture f = new ResultsFixture(tmp, "agg", "x", "q");
        // sweep order is deliberately not numeric order: x=2 comes first
        f.trial(values("x", 2.0, "q", "a"), 0, TrialState.FINISHED, values("acc", 5.0, "loss", 0.5));
        f.trial(values("x", 2.0, "q", "a"), 1, TrialState.FAILED, null);
        f.trial(values("x", 2.0, "q", "a"), 2, TrialState.FINISHED, values("acc", 7.0, "loss", "NaN"));
        f.trial(values("x", 1.0, "q", "a"), 0, TrialState.FINISHED, values("acc", 1.0, "loss", 0.25));
        f.trial(values("x", 1.0, "q", "a"), 1, TrialState.FINISHED, values("acc", 2.0, "loss", 0.25));
        f.trial(values("x", 1.0, "q", "a"), 2, TrialState.FINISHED, values("acc", 3.0, "loss", 0.25, "extra", 9.0));
        f.trial(values("x", 1.0, "q", "b"), 0, TrialState.RUNNING, null);
        f.trial(values("x", 1.0, "q", "b"), 1, TrialState.INTERRUPTED, null);
        f.trial(values("x", 1.0, "q", "b"), 2, null, null);
        f.trial(values("x", 4.0, "q", "b"), 0, null, null);
        f.trial(values("x", 4.0, "q", "b"), 1, null, null);
        f.writeSweep();
        // an earlier sweep's trial of the same configuration: not part of the latest sweep
        f.strayTrial(values("x", 1.0, "q", "a"), 7, values("acc", 100.0, "loss", 100.0));
        results = ExperimentResults.read(f.folder());
        configurations = Configuration.aggregate(results);
    }

    @Test
    void readsTheLatestSweepsTrialsInSweepOrder() {
        assertEquals("agg", results.experiment());
        assertEquals(List.of("x", "q"), results.varying());
        assertEquals(11, results.planned());
        assertEquals(11, results.trials().size());
        assertEquals(5, results.finished().size());
        List<TrialState> states = results.trials().stream().map(TrialResult::state).toList();
        assertEquals(java.util.Arrays.asList(TrialState.FINISHED, TrialState.FAILED, TrialState.FINISHED,
                TrialState.FINISHED, TrialState.FINISHED, TrialState.FINISHED, TrialState.RUNNING, TrialState.INTERRUPTED,
                null, null, null), states);
        TrialResult unstarted = results.trials().get(8);
        assertEquals(2, unstarted.seed());
        assertEquals(Map.of(), unstarted.summary());
        assertEquals(values("x", 1.0, "q", "b"), unstarted.params());
        assertTrue(results.trials().get(1).summary().isEmpty(), "a FAILED trial has no numbers");
        assertEquals(10L, ((Number) results.trials().get(0).params().get("n")).longValue());
        assertTrue(Double.isNaN(results.trials().get(2).summary().get("loss")));
    }

    @Test
    void aggregatesPerConfigurationInSweepOrder() {
        assertEquals(List.of("x=2.0 q=a", "x=1.0 q=a", "x=1.0 q=b", "x=4.0 q=b"),
                configurations.stream().map(Configuration::label).toList());
        assertEquals(List.of("acc", "loss", "extra"), Configuration.metricNames(results));

        Configuration two = configurations.get(0);
        assertEquals(values("x", 2.0, "q", "a"), two.values());
        assertEquals(3, two.trials(), "the FAILED trial is counted");
        assertEquals(2, two.finished(), "but not aggregated");
        Stat acc = two.metrics().get("acc");
        assertEquals(2, acc.n());
        assertEquals(6.0, acc.mean(), EPS);
        assertEquals(Math.sqrt(2), acc.std(), EPS);
        assertEquals(12.706204736174707, acc.halfWidth(), 1e-9); // t(0.975, 1) * sqrt(2) / sqrt(2)
        Stat loss = two.metrics().get("loss");
        assertEquals(1, loss.n());
        assertEquals(1, loss.nonFinite());
        assertEquals(0.5, loss.mean(), EPS);
        assertFalse(loss.hasInterval());
        assertFalse(two.metrics().containsKey("extra"));

        Configuration one = configurations.get(1);
        assertEquals(3, one.trials());
        assertEquals(3, one.finished());
        assertEquals(2.0, one.metrics().get("acc").mean(), EPS, "the stray trial of an earlier sweep is left out");
        assertEquals(3, one.metrics().get("acc").n());
        assertEquals(1.0, one.metrics().get("acc").std(), EPS);
        assertEquals(2.0 - 4.302652729749464 / Math.sqrt(3), one.metrics().get("acc").ciLow(), EPS);
        assertEquals(0.25, one.metrics().get("loss").ciLow(), 0);
        assertEquals(0.25, one.metrics().get("loss").ciHigh(), 0);
        assertEquals(1, one.metrics().get("extra").n());

        Configuration started = configurations.get(2);
        assertEquals(3, started.trials());
        assertEquals(0, started.finished());
        assertTrue(started.metrics().isEmpty(), "RUNNING, INTERRUPTED and unstarted trials give no numbers");

        Configuration unstarted = configurations.get(3);
        assertEquals(values("x", 4.0, "q", "b"), unstarted.values());
        assertEquals(2, unstarted.trials());
        assertEquals(0, unstarted.finished());
        assertTrue(unstarted.metrics().isEmpty());
    }

    @Test
    void whereMatchesNumbersByValue() {
        assertEquals(List.of("x=1.0 q=a", "x=1.0 q=b"), select(Map.of("x", 1)));
        assertEquals(List.of("x=1.0 q=a", "x=1.0 q=b"), select(Map.of("x", 1L)));
        assertEquals(List.of("x=1.0 q=a", "x=1.0 q=b"), select(Map.of("x", 1.0)));
        assertEquals(List.of("x=2.0 q=a"), select(Map.of("x", 2, "q", "a")));
        assertEquals(List.of(), select(Map.of("x", "1")), "a string is not the number");
        assertEquals(List.of(), select(Map.of("y", 1)), "a key the configuration lacks never matches");
        assertEquals(4, select(Map.of()).size());
        Configuration none = new Configuration(Map.of(), 1, 1, Map.of());
        assertEquals("(all)", none.label());
        assertTrue(none.matches(Map.of()));
        assertFalse(none.matches(Map.of("x", 1)));
    }

    private List<String> select(Map<String, Object> where) {
        return configurations.stream().filter(k -> k.matches(where)).map(Configuration::label).toList();
    }

    @Test
    void aSweepWithoutASweepFileIsAnError(@TempDir Path empty) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ExperimentResults.read(new org.ablate.store.ResultsStore(empty).experiment("none")));
        assertTrue(e.getMessage().startsWith("no sweep.json in "), e.getMessage());
    }
}
