package org.ablate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.experiment.ClaimSpec;
import org.ablate.experiment.ClaimSpec.Kind;
import org.junit.jupiter.api.Test;

/**
 * A rate claim over three seeds of 112 draws with 10, 0 and 0 failures: the t-interval over the
 * three rates (0.030 ± 0.128) overlaps 10%, the pooled 10 of 336 draws ([0.014, 0.054]) does not.
 */
class PooledClaimTest {

    private static final Origin ORIGIN = new Origin("exp.yaml", 12, "claims");
    private static final Map<String, Origin> KEYS = Map.of("pool", new Origin("exp.yaml", 17, "claims[0].pool"));

    private static Configuration configuration(int draws, int... failures) {
        List<TrialResult> done = PooledRateTest.trials(draws, failures);
        double[] rates = done.stream().mapToDouble(t -> t.summary().get("failure_rate")).toArray();
        return new Configuration(Map.of("sketch", "gaussian"), failures.length, failures.length,
                Map.of("failure_rate", Stat.of(rates)), 0, done);
    }

    private static ClaimSpec atMost(double value, String pool) {
        return new ClaimSpec("meets-target", null, Kind.AT_MOST, "failure_rate", Map.of(), null, false, value, null, null, null,
                null, 2, ORIGIN, KEYS, pool);
    }

    @Test
    void inconclusiveWithTheTIntervalDecidedWithPooledDraws() {
        List<Configuration> data = List.of(configuration(112, 10, 0, 0));
        ClaimResult t = new ClaimEvaluator(data).evaluate(atMost(0.1, null));
        assertEquals(Verdict.INCONCLUSIVE, t.verdict(), t.rows().toString());
        ClaimResult pooled = new ClaimEvaluator(data).evaluate(atMost(0.1, "draws"));
        assertEquals(Verdict.PASS, pooled.verdict(), pooled.rows().toString());
        String measured = pooled.rows().get(0).measured();
        assertTrue(measured.startsWith("0.02976 [0.01"), measured);
        assertTrue(measured.contains("(10/336 draws of 3 seeds pooled, Clopper–Pearson; per-seed t: 0.02976 ± 0.128"), measured);
        // and the other way: 10 of 336 is clearly above 1%
        assertEquals(Verdict.FAIL, new ClaimEvaluator(data).evaluate(atMost(0.01, "draws")).verdict());
        assertEquals(Verdict.INCONCLUSIVE, new ClaimEvaluator(data).evaluate(atMost(0.01, null)).verdict());
    }

    @Test
    void pooledTrendsAndRatiosUseTheBinomialIntervals() {
        Configuration few = new Configuration(Map.of("m", 1L), 3, 3, configuration(112, 10, 0, 0).metrics(), 0,
                PooledRateTest.trials(112, 10, 0, 0));
        Configuration many = new Configuration(Map.of("m", 2L), 3, 3, configuration(112, 80, 20, 60).metrics(), 0,
                PooledRateTest.trials(112, 80, 20, 60));
        ClaimSpec rises = new ClaimSpec("rises", null, Kind.INCREASING, "failure_rate", Map.of(), "m", false, null, null, null,
                null, null, 2, ORIGIN, KEYS, "draws");
        assertEquals(Verdict.PASS, new ClaimEvaluator(List.of(few, many)).evaluate(rises).verdict());
    }

    @Test
    void aRateThatIsNotAFractionOfItsCountIsALocatedError() {
        TrialResult odd = PooledRateTest.trial(0, 0.3, Map.of("draws", 7L), Map.of());
        Configuration c = new Configuration(Map.of(), 1, 1, Map.of("failure_rate", Stat.of(new double[] {0.3, 0.3})), 0,
                List.of(odd, odd));
        ConfigException e = assertThrows(ConfigException.class, () -> new ClaimEvaluator(List.of(c)).evaluate(atMost(0.1, "draws")));
        assertEquals("exp.yaml:17: claims[0].pool: claim 'meets-target': pool: draws: trial t0: failure_rate = 0.3 is not a whole"
                + " number of events of draws = 7.0", e.getMessage());
    }
}
