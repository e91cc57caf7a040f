package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.experiment.ClaimSpec.Kind;
import org.ablate.experiment.ClaimSpec;
import org.junit.jupiter.api.Test;

/** Every kind of claim PASSes, FAILs and is INCONCLUSIVE on hand-made configurations. */
class ClaimEvaluatorTest {

    private static final Origin ORIGIN = new Origin("exp.yaml", 12, "claims");

    /** A metric over n seeds with the given interval (its mean in the middle). */
    private static Stat stat(int n, double lo, double hi) {
        return new Stat(n, (lo + hi) / 2, 1, lo, hi, 0);
    }

    private static Stat stat(double lo, double hi) {
        return stat(3, lo, hi);
    }

    private static Configuration cfg(Map<String, Object> values, Stat m) {
        return new Configuration(values, 3, m == null ? 0 : m.n(), m == null ? Map.of() : Map.of("m", m));
    }

    private static ClaimSpec threshold(Kind kind, Map<String, Object> where, double value, Double tolerance, int minSeeds) {
        return new ClaimSpec("c", null, kind, "m", where, null, false, value, tolerance, null, null, null, minSeeds, ORIGIN);
    }

    private static ClaimSpec trend(Kind kind, String along, boolean monotone, Map<String, Object> where) {
        return new ClaimSpec("t", null, kind, "m", where, along, monotone, null, null, null, null, null, 2, ORIGIN);
    }

    private static ClaimSpec ratio(Kind kind, Map<String, Object> where, Map<String, Object> baseline, double factor) {
        return new ClaimSpec("r", null, kind, "m", where, null, false, null, null, baseline, factor, null, 2, ORIGIN);
    }

    private static Verdict single(Kind kind, Stat s, double value, Double tolerance) {
        ClaimResult r = new ClaimEvaluator(List.of(cfg(values("x", 1L), s))).evaluate(threshold(kind, Map.of(), value, tolerance, 2));
        assertEquals(1, r.rows().size());
        assertEquals(r.verdict(), r.rows().get(0).verdict());
        return r.verdict();
    }

    @Test
    void atLeastPassesOnlyWhenTheWholeIntervalIsAtOrAboveTheValue() {
        assertEquals(Verdict.PASS, single(Kind.AT_LEAST, stat(1, 2), 1, null), "touching from above clears it");
        assertEquals(Verdict.PASS, single(Kind.AT_LEAST, stat(1.5, 2), 1, null));
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.AT_LEAST, stat(0.99, 2), 1, null));
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.AT_LEAST, stat(0.5, 1), 1, null), "touching from below is not a FAIL");
        assertEquals(Verdict.FAIL, single(Kind.AT_LEAST, stat(0.5, 0.999), 1, null));
    }

    @Test
    void atMostIsTheMirrorImage() {
        assertEquals(Verdict.PASS, single(Kind.AT_MOST, stat(0, 1), 1, null));
        assertEquals(Verdict.PASS, single(Kind.AT_MOST, stat(0, 0.5), 1, null));
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.AT_MOST, stat(0.5, 1.01), 1, null));
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.AT_MOST, stat(1, 2), 1, null));
        assertEquals(Verdict.FAIL, single(Kind.AT_MOST, stat(1.001, 2), 1, null));
    }

    @Test
    void withinNeedsTheIntervalInsideTheToleranceBand() {
        assertEquals(Verdict.PASS, single(Kind.WITHIN, stat(0.9, 1.1), 1, 0.1), "the band's edges count");
        assertEquals(Verdict.PASS, single(Kind.WITHIN, stat(0.95, 1.05), 1, 0.1));
        assertEquals(Verdict.PASS, single(Kind.WITHIN, new Stat(3, 1, 0, 1, 1, 0), 1, 0.0), "zero width, zero tolerance");
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.WITHIN, stat(0.5, 1.5), 1, 0.1), "wider than the band");
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.WITHIN, stat(1.05, 1.2), 1, 0.1));
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.WITHIN, stat(1.1, 1.2), 1, 0.1), "touching the band is not a FAIL");
        assertEquals(Verdict.INCONCLUSIVE, single(Kind.WITHIN, stat(0.8, 0.9), 1, 0.1));
        assertEquals(Verdict.FAIL, single(Kind.WITHIN, stat(1.11, 1.2), 1, 0.1));
        assertEquals(Verdict.FAIL, single(Kind.WITHIN, stat(0.5, 0.89), 1, 0.1));
    }

    @Test
    void thresholdRowsShowTheNumbers() {
        ClaimResult r = new ClaimEvaluator(List.of(cfg(values("x", 1L, "q", "a"), new Stat(3, 0.5, 0.1, 0.25, 0.75, 0))))
                .evaluate(threshold(Kind.WITHIN, Map.of(), 0.5, 0.125, 2));
        ClaimResult.Row row = r.rows().get(0);
        assertEquals("x=1 q=a", row.subject());
        assertEquals("0.5 ± 0.25 (n=3)", row.measured());
        assertEquals("within 0.125 of 0.5", row.threshold());
        assertEquals(Verdict.INCONCLUSIVE, row.verdict());
        assertEquals("the confidence interval overlaps the threshold", row.note());
        assertEquals("0.5 ± 0.25 (n=3)", r.measuredSummary());
    }

    @Test
    void tooFewSeedsIsInconclusiveWhateverTheNumbers() {
        Stat one = Stat.of(new double[] {100});
        ClaimResult r = new ClaimEvaluator(List.of(cfg(values("x", 1L), one))).evaluate(threshold(Kind.AT_LEAST, Map.of(), 1, null, 2));
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertEquals("100 (n=1)", r.rows().get(0).measured());
        assertEquals("≥ 1", r.rows().get(0).threshold());
        assertTrue(r.rows().get(0).note().startsWith("too few seeds"), r.rows().get(0).note());
        assertEquals("too few seeds: 1 finished, the claim needs 2", r.rows().get(0).note());

        // two seeds whose interval clears the threshold, but the claim asks for three
        Stat two = stat(2, 10, 11);
        ClaimResult three = new ClaimEvaluator(List.of(cfg(values("x", 1L), two)))
                .evaluate(threshold(Kind.AT_LEAST, Map.of(), 1, null, 3));
        assertEquals(Verdict.INCONCLUSIVE, three.verdict());
        assertEquals("too few seeds: 2 finished, the claim needs 3", three.rows().get(0).note());
        ClaimResult enough = new ClaimEvaluator(List.of(cfg(values("x", 1L), two)))
                .evaluate(threshold(Kind.AT_LEAST, Map.of(), 1, null, 2));
        assertEquals(Verdict.PASS, enough.verdict());

        // a configuration that never reported the metric
        ClaimResult none = new ClaimEvaluator(List.of(cfg(values("x", 1L), null)))
                .evaluate(threshold(Kind.AT_MOST, Map.of(), 1, null, 2));
        assertEquals(Verdict.INCONCLUSIVE, none.verdict());
        assertEquals("no data", none.rows().get(0).measured());
        assertEquals("too few seeds: 0 finished, the claim needs 2", none.rows().get(0).note());
    }

    @Test
    void everySelectedConfigurationIsCheckedAndAnyFailFails() {
        List<Configuration> ks = List.of(
                cfg(values("x", 1L, "q", "a"), stat(2, 3)),
                cfg(values("x", 2L, "q", "a"), stat(0.5, 1.5)),
                cfg(values("x", 1L, "q", "b"), stat(0, 0.5)),
                cfg(values("x", 2L, "q", "b"), stat(5, 6)));
        ClaimEvaluator e = new ClaimEvaluator(ks);
        ClaimResult a = e.evaluate(threshold(Kind.AT_LEAST, Map.of("q", "a"), 1, null, 2));
        assertEquals(List.of("x=1 q=a", "x=2 q=a"), a.rows().stream().map(ClaimResult.Row::subject).toList());
        assertEquals(List.of(Verdict.PASS, Verdict.INCONCLUSIVE), a.rows().stream().map(ClaimResult.Row::verdict).toList());
        assertEquals(Verdict.INCONCLUSIVE, a.verdict());
        assertEquals("1 of 2 comparisons pass", a.measuredSummary());

        ClaimResult all = e.evaluate(threshold(Kind.AT_LEAST, Map.of(), 1, null, 2));
        assertEquals(4, all.rows().size());
        assertEquals(Verdict.FAIL, all.verdict(), "one FAIL among PASS and INCONCLUSIVE fails the claim");

        ClaimResult x2 = e.evaluate(threshold(Kind.AT_LEAST, Map.of("x", 2.0, "q", "b"), 1, null, 2));
        assertEquals(Verdict.PASS, x2.verdict(), "2.0 selects x=2");

        ConfigException none = assertThrows(ConfigException.class,
                () -> e.evaluate(threshold(Kind.AT_LEAST, Map.of("q", "zzz"), 1, null, 2)));
        assertTrue(none.getMessage().startsWith("exp.yaml:12: claims: claim 'c': no configuration matches"), none.getMessage());
        assertTrue(none.getMessage().contains("q=zzz"), none.getMessage());
    }

    @Test
    void combineRule() {
        assertEquals(Verdict.INCONCLUSIVE, Verdict.combine(List.of()));
        assertEquals(Verdict.PASS, Verdict.combine(List.of(Verdict.PASS, Verdict.PASS)));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.combine(List.of(Verdict.PASS, Verdict.INCONCLUSIVE)));
        assertEquals(Verdict.FAIL, Verdict.combine(List.of(Verdict.INCONCLUSIVE, Verdict.PASS, Verdict.FAIL)));
        assertEquals(Verdict.FAIL, Verdict.combine(List.of(Verdict.FAIL)));
    }

    /** Three series along x (listed 4, 1, 2 in the sweep): a falls at every step, b overall only, c rises then falls. */
    private static List<Configuration> trendData() {
        List<Configuration> ks = new ArrayList<>();
        ks.add(cfg(values("q", "a", "x", 4L), stat(1, 2)));
        ks.add(cfg(values("q", "a", "x", 1L), stat(9, 10)));
        ks.add(cfg(values("q", "a", "x", 2L), stat(5, 6)));
        ks.add(cfg(values("q", "b", "x", 4L), stat(1, 2)));
        ks.add(cfg(values("q", "b", "x", 1L), stat(9, 10)));
        ks.add(cfg(values("q", "b", "x", 2L), stat(9.5, 11)));
        ks.add(cfg(values("q", "c", "x", 4L), stat(3, 4)));
        ks.add(cfg(values("q", "c", "x", 1L), stat(1, 2)));
        ks.add(cfg(values("q", "c", "x", 2L), stat(5, 6)));
        return ks;
    }

    private static List<String> rows(ClaimResult r) {
        return r.rows().stream().map(row -> row.subject() + " " + row.verdict()).toList();
    }

    @Test
    void trendsOverallCompareFirstAndLastOncePerSeries() {
        ClaimEvaluator e = new ClaimEvaluator(trendData());
        ClaimResult down = e.evaluate(trend(Kind.DECREASING, "x", false, Map.of()));
        assertEquals(List.of("q=a: x 1 → 4 PASS", "q=b: x 1 → 4 PASS", "q=c: x 1 → 4 FAIL"), rows(down));
        assertEquals(Verdict.FAIL, down.verdict());
        assertEquals("9.5 ± 0.5 (n=3) → 1.5 ± 0.5 (n=3)", down.rows().get(0).measured());
        assertEquals("falls", down.rows().get(0).threshold());

        ClaimResult up = e.evaluate(trend(Kind.INCREASING, "x", false, Map.of("q", "c")));
        assertEquals(List.of("q=c: x 1 → 4 PASS"), rows(up));
        assertEquals(Verdict.PASS, up.verdict());
        assertEquals("rises", up.rows().get(0).threshold());

        assertEquals(Verdict.PASS, e.evaluate(trend(Kind.DECREASING, "x", false, Map.of("q", "b"))).verdict());
        assertEquals(Verdict.FAIL, e.evaluate(trend(Kind.INCREASING, "x", false, Map.of("q", "a"))).verdict());
    }

    @Test
    void monotoneTrendsCompareEveryStep() {
        ClaimEvaluator e = new ClaimEvaluator(trendData());
        ClaimResult a = e.evaluate(trend(Kind.DECREASING, "x", true, Map.of("q", "a")));
        assertEquals(List.of("q=a: x 1 → 2 PASS", "q=a: x 2 → 4 PASS"), rows(a));
        assertEquals(Verdict.PASS, a.verdict());

        ClaimResult b = e.evaluate(trend(Kind.DECREASING, "x", true, Map.of("q", "b")));
        assertEquals(List.of("q=b: x 1 → 2 INCONCLUSIVE", "q=b: x 2 → 4 PASS"), rows(b));
        assertEquals(Verdict.INCONCLUSIVE, b.verdict());
        assertEquals("the confidence intervals overlap", b.rows().get(0).note());

        ClaimResult c = e.evaluate(trend(Kind.INCREASING, "x", true, Map.of("q", "c")));
        assertEquals(List.of("q=c: x 1 → 2 PASS", "q=c: x 2 → 4 FAIL"), rows(c));
        assertEquals(Verdict.FAIL, c.verdict());

        ClaimResult all = e.evaluate(trend(Kind.DECREASING, "x", true, Map.of()));
        assertEquals(6, all.rows().size());
        assertEquals(Verdict.FAIL, all.verdict());
        assertEquals("4 of 6 comparisons pass", all.measuredSummary());
    }

    @Test
    void aTrendOfASingleSeriesNamesOnlyTheStep() {
        List<Configuration> ks = List.of(cfg(values("x", 1L), stat(1, 2)), cfg(values("x", 2L), stat(3, 4)));
        ClaimResult r = new ClaimEvaluator(ks).evaluate(trend(Kind.INCREASING, "x", false, Map.of()));
        assertEquals(List.of("x 1 → 2 PASS"), rows(r));
    }

    @Test
    void aNonNumericAlongKeepsSweepOrder() {
        List<Configuration> ks = List.of(
                cfg(values("size", "small"), stat(1, 2)),
                cfg(values("size", "medium"), stat(3, 4)),
                cfg(values("size", "large"), stat(5, 6)));
        ClaimEvaluator e = new ClaimEvaluator(ks);
        ClaimResult up = e.evaluate(trend(Kind.INCREASING, "size", true, Map.of()));
        assertEquals(List.of("size small → medium PASS", "size medium → large PASS"), rows(up));
        assertEquals(Verdict.FAIL, e.evaluate(trend(Kind.DECREASING, "size", false, Map.of())).verdict());
    }

    @Test
    void trendsNeedTwoPointsAndEnoughSeedsAtEach() {
        ClaimEvaluator e = new ClaimEvaluator(trendData());
        ClaimResult one = e.evaluate(trend(Kind.DECREASING, "x", false, Map.of("q", "a", "x", 1)));
        assertEquals(Verdict.INCONCLUSIVE, one.verdict());
        assertEquals("a trend needs at least two values of x", one.rows().get(0).note());

        List<Configuration> ks = List.of(cfg(values("x", 1L), stat(9, 10)), cfg(values("x", 2L), Stat.of(new double[] {1})));
        ClaimResult few = new ClaimEvaluator(ks).evaluate(trend(Kind.DECREASING, "x", false, Map.of()));
        assertEquals(Verdict.INCONCLUSIVE, few.verdict());
        assertEquals("too few seeds: 1 finished, the claim needs 2", few.rows().get(0).note());
    }

    /** q=new against q=old, paired by x. */
    private static List<Configuration> ratioData() {
        return List.of(
                cfg(values("q", "new", "x", 1L), stat(20, 22)),
                cfg(values("q", "new", "x", 2L), stat(40, 44)),
                cfg(values("q", "old", "x", 1L), stat(10, 11)),
                cfg(values("q", "old", "x", 2L), stat(30, 31)));
    }

    @Test
    void ratiosPairEachConfigurationWithTheBaselineOfTheSameOtherValues() {
        ClaimEvaluator e = new ClaimEvaluator(ratioData());
        ClaimResult least = e.evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "old"), 1.5));
        // x=1: 20 >= 1.5 * 11; x=2: 44 < 1.5 * 30
        assertEquals(List.of("q=new x=1 vs q=old x=1 PASS", "q=new x=2 vs q=old x=2 FAIL"), rows(least));
        assertEquals(Verdict.FAIL, least.verdict());
        assertEquals("21 ± 1 (n=3) vs 10.5 ± 0.5 (n=3) (ratio 2.00)", least.rows().get(0).measured());
        assertEquals("≥ 1.5 × baseline", least.rows().get(0).threshold());

        ClaimResult most = e.evaluate(ratio(Kind.RATIO_AT_MOST, Map.of("q", "new"), Map.of("q", "old"), 2.1));
        // x=1: 22 > 2.1 * 10 but 20 < 2.1 * 11; x=2: 44 <= 2.1 * 30
        assertEquals(List.of("q=new x=1 vs q=old x=1 INCONCLUSIVE", "q=new x=2 vs q=old x=2 PASS"), rows(most));
        assertEquals(Verdict.INCONCLUSIVE, most.verdict());
        assertEquals("≤ 2.1 × baseline", most.rows().get(0).threshold());

        // a value fixed by 'where' alone pairs with the baseline of that value (the paper's "at K = 65,536")
        ClaimResult one = e.evaluate(ratio(Kind.RATIO_AT_MOST, Map.of("q", "new", "x", 1), Map.of("q", "old"), 1.5));
        assertEquals(List.of("q=new x=1 vs q=old x=1 FAIL"), rows(one));
        assertEquals(Verdict.FAIL, one.verdict());
        List<Configuration> touching = List.of(cfg(values("q", "new"), stat(20, 22)), cfg(values("q", "old"), stat(8, 10)));
        assertEquals(Verdict.PASS, new ClaimEvaluator(touching).evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"),
                Map.of("q", "old"), 2)).verdict(), "touching the scaled baseline interval clears it");
        assertEquals(Verdict.INCONCLUSIVE, new ClaimEvaluator(touching).evaluate(ratio(Kind.RATIO_AT_MOST, Map.of("q", "new"),
                Map.of("q", "old"), 2)).verdict(), "touching from the wrong side is not a FAIL");

        // baseline fixes x too: every selected configuration is compared with that one
        ClaimResult cross = e.evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "old", "x", 1), 1.5));
        assertEquals(List.of("q=new x=1 vs q=old x=1 PASS", "q=new x=2 vs q=old x=1 PASS"), rows(cross));
    }

    @Test
    void aRatioWithoutWhereComparesEveryOtherConfigurationWithItsBaseline() {
        ClaimEvaluator e = new ClaimEvaluator(ratioData());
        ClaimResult r = e.evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of(), Map.of("q", "old"), 1.2));
        // the baseline configurations are not compared with themselves
        assertEquals(List.of("q=new x=1 vs q=old x=1 PASS", "q=new x=2 vs q=old x=2 PASS"), rows(r));
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void ratiosNeedExactlyOneBaselineAndEnoughSeeds() {
        ClaimEvaluator e = new ClaimEvaluator(ratioData());
        ConfigException none = assertThrows(ConfigException.class,
                () -> e.evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "older"), 1.5)));
        assertEquals("exp.yaml:12: claims: claim 'r': no configuration matches its baseline", none.getMessage());

        ConfigException self = assertThrows(ConfigException.class,
                () -> e.evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "old"), Map.of("q", "old"), 1.5)));
        assertTrue(self.getMessage().startsWith("exp.yaml:12: claims: claim 'r': every configuration its 'where' selects is a baseline"),
                self.getMessage());

        List<Configuration> missing = List.of(cfg(values("q", "new", "x", 3L), stat(20, 22)), cfg(values("q", "old", "x", 1L), stat(10, 11)));
        ConfigException zero = assertThrows(ConfigException.class, () -> new ClaimEvaluator(missing)
                .evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "old"), 1.5)));
        assertEquals("exp.yaml:12: claims: claim 'r': 0 baseline configurations match q=new x=3 "
                + "(need exactly one; narrow 'baseline' or 'where')", zero.getMessage());

        // configurations lacking a key the baselines differ on (never so in one sweep's aggregates)
        List<Configuration> ks = new ArrayList<>(List.of(
                cfg(values("q", "new", "x", 1L), stat(20, 22)),
                cfg(values("q", "old", "x", 1L, "y", "u"), stat(10, 11)),
                cfg(values("q", "old", "x", 1L, "y", "v"), stat(10, 11))));
        ConfigException two = assertThrows(ConfigException.class, () -> new ClaimEvaluator(ks)
                .evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "old"), 1.5)));
        assertTrue(two.getMessage().startsWith("exp.yaml:12: claims: claim 'r': 2 baseline configurations match q=new x=1"),
                two.getMessage());

        List<Configuration> few = List.of(cfg(values("q", "new"), stat(20, 22)), cfg(values("q", "old"), Stat.of(new double[] {1})));
        ClaimResult r = new ClaimEvaluator(few).evaluate(ratio(Kind.RATIO_AT_LEAST, Map.of("q", "new"), Map.of("q", "old"), 1.5));
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertEquals("too few seeds: 1 finished, the claim needs 2", r.rows().get(0).note());
    }

    @Test
    void numbersKeepFourSignificantDigitsAndTinyOnesStayShort() {
        assertEquals("3", ClaimEvaluator.num(3.0));
        assertEquals("0.2502", ClaimEvaluator.num(0.25024449883594174));
        assertEquals("1235", ClaimEvaluator.num(1234.5));
        assertEquals("0.00005", ClaimEvaluator.num(5e-5));
        assertEquals("5.995e-15", ClaimEvaluator.num(5.995e-15));
        assertEquals("-1.2e-9", ClaimEvaluator.num(-1.2e-9));
    }
}
