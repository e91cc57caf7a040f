package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims whose per-trial value is a statistic of a step curve, on stored trials: three seeds per
 * K. At K = 1 utilisation has flattened (last changes 0.001, 0.005, 0.002) and the rank fell by
 * about 1; at K = 4 utilisation still moves by about 0.2 and the rank fell by about 4.
 */
class CurveClaimTest {

    private static final String FILE = """
            task: probe
            sweep: {grid: {k: [1, 4]}}
            claims:
              - {name: converged, check: at_most, metric: eval/u, curve: last_change, value: 0.01, where: {k: 1}}
              - {name: converged-at-4, check: at_most, metric: eval/u, curve: last_change, value: 0.01, where: {k: 4}}
              - {name: rank-falls, check: at_least, metric: eval/rank, curve: drop, value: 0}
              - {name: falls-more-for-larger-k, check: increasing, metric: eval/rank, curve: drop, along: k}
              - {name: never-logged, check: at_least, metric: eval/missing, curve: last, value: 0}
            """;

    @TempDir
    Path tmp;

    private static Map<String, ClaimResult> byName(Report r) {
        Map<String, ClaimResult> out = new java.util.LinkedHashMap<>();
        r.claims().forEach(c -> out.put(c.claim().name(), c));
        return out;
    }

    private static ResultsFixture threeSeedsPerK(Path root) throws Exception {
        ResultsFixture f = new ResultsFixture(root, "curves", "k");
        double[][] lastTwo = {{0.8, 0.801}, {0.79, 0.795}, {0.82, 0.818}};
        double[] rankAtEnd = {9.0, 9.1, 8.9};
        for (int s = 0; s < 3; s++) {
            String a = f.trial(values("k", 1L), s, TrialState.FINISHED, values("u", 0.9));
            f.history(a, "eval/u", 50, 0.5, 100, lastTwo[s][0], 150, lastTwo[s][1]);
            f.history(a, "eval/rank", 50, 10, 100, 9.5, 150, rankAtEnd[s]);
            String b = f.trial(values("k", 4L), s, TrialState.FINISHED, values("u", 0.4));
            f.history(b, "eval/u", 50, 0.3, 100, 0.5 + 0.02 * (s - 1));
            f.history(b, "eval/rank", 50, 10, 100, rankAtEnd[s] - 3);
        }
        return f;
    }

    @Test
    void verdictsFromEachTrialsCurve() throws Exception {
        ResultsFixture f = threeSeedsPerK(tmp);
        f.writeSweep();
        ExperimentSpec spec = ExperimentParser.parse(FILE, "e.yaml", "e");
        Map<String, ClaimResult> claims = byName(Report.build(spec, f.folder()));

        ClaimResult converged = claims.get("converged");
        assertEquals(Verdict.PASS, converged.verdict(), converged.rows().toString());
        assertEquals("0.002667 ± 0.005171 (n=3) (eval/u, last change between steps 100 and 150)", converged.rows().get(0).measured());
        ClaimResult notYet = claims.get("converged-at-4");
        assertEquals(Verdict.FAIL, notYet.verdict(), notYet.rows().toString());
        assertTrue(notYet.rows().get(0).measured().startsWith("0.2 ± "), notYet.rows().toString());

        assertEquals(Verdict.PASS, claims.get("rank-falls").verdict(), claims.get("rank-falls").rows().toString());
        ClaimResult more = claims.get("falls-more-for-larger-k");
        assertEquals(Verdict.PASS, more.verdict(), more.rows().toString());
        assertEquals("k 1 → 4", more.rows().get(0).subject());
        // the curves end at different steps: each side says where it was read
        assertEquals("1 ± 0.2484 (n=3) (eval/rank, drop from step 50 to step 150) → 4 ± 0.2484 (n=3) (eval/rank, drop from step 50 to step 100)",
                more.rows().get(0).measured());

        // results that lack the step metric: a claim saying so, not a failed report
        ClaimResult never = claims.get("never-logged");
        assertEquals(Verdict.INCONCLUSIVE, never.verdict());
        assertEquals("too few seeds: 0 with a curve, the claim needs 2; no finished trial logged step metric 'eval/missing' at any"
                + " step (curve: last needs 1; results recorded before the task logged it, or too few evaluations)",
                never.rows().get(0).note());
    }

    @Test
    void trialsWithTooFewEvaluationsTurnAPassIntoInconclusive() throws Exception {
        ResultsFixture f = threeSeedsPerK(tmp);
        String once = f.trial(values("k", 1L), 3, TrialState.FINISHED, values("u", 0.9));
        f.history(once, "eval/u", 150, 0.8); // evaluated only at the end: no change to measure
        f.writeSweep();
        ExperimentSpec spec = ExperimentParser.parse(FILE, "e.yaml", "e");
        ClaimResult converged = byName(Report.build(spec, f.folder())).get("converged");
        assertEquals(Verdict.INCONCLUSIVE, converged.verdict(), converged.rows().toString());
        assertEquals("1 of 4 finished trial(s) logged 'eval/u' at fewer than 2 steps (curve: last_change needs 2), so they have"
                + " no value (PASS on the rest)", converged.rows().get(0).note());
        assertTrue(converged.rows().get(0).measured().contains("(n=3)"), converged.rows().toString());
    }

    @Test
    void theReportSaysHowTheValueWasDerived() throws Exception {
        ResultsFixture f = threeSeedsPerK(tmp);
        f.writeSweep();
        Report r = Report.build(ExperimentParser.parse(FILE, "e.yaml", "e"), f.folder());
        String md = ReportWriter.markdown(r, List.of());
        assertTrue(md.contains("`at_most` on `eval/u` where k=1; each trial's value from its step curve: `last_change` ="
                + " |last − previous evaluation|. Paper:"), md);
        assertTrue(ReportWriter.claimsCsv(r).contains("converged,at_most,eval/u (curve: last_change),PASS,"), ReportWriter.claimsCsv(r));
    }

    @Test
    void aRelativeDropFromZeroIsLeftOutAndSaid() throws Exception {
        ResultsFixture f = threeSeedsPerK(tmp);
        String zero = f.trial(values("k", 1L), 3, TrialState.FINISHED, values("u", 0.9));
        f.history(zero, "eval/rank", 50, 0, 100, 0.5, 150, 0.25); // (0 - 0.25) / |0| is no number
        f.writeSweep();
        String file = FILE + "  - {name: rank-falls-relatively, check: at_least, metric: eval/rank, curve: relative_drop, value: 0,"
                + " where: {k: 1}}\n";
        ClaimResult relative = byName(Report.build(ExperimentParser.parse(file, "e.yaml", "e"), f.folder())).get("rank-falls-relatively");
        // the other three seeds fell by about a tenth: judged on them, and the PASS is held back
        assertEquals(Verdict.INCONCLUSIVE, relative.verdict(), relative.rows().toString());
        assertTrue(relative.rows().get(0).measured().startsWith("0.1 ± ") && relative.rows().get(0).measured().contains("(n=3)"),
                relative.rows().toString());
        assertEquals("1 of 4 finished trial(s) have no finite relative_drop of 'eval/rank' (a curve starting at 0, or a NaN in it),"
                + " so they have no value (PASS on the rest)", relative.rows().get(0).note());
    }
}
