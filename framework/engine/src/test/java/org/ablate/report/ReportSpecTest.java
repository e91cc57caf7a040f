package org.ablate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ClaimSpec;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.PlotSpec;
import org.ablate.experiment.ReportSpec;
import org.junit.jupiter.api.Test;

/** The report: and claims: sections: their shape when read, their names against the results. */
class ReportSpecTest {

    private static final String HEAD = "task: probe\nsweep: {grid: {x: [1, 2], q: [a, b]}}\n"; // lines 1-2

    private static ReportSpec parse(String body) {
        return ExperimentParser.parse(HEAD + body, "e.yaml", "e").report();
    }

    private static String error(String body) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(body));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static final String CLAIM_KEYS =
            "(accepted: name, source, check, metric, where, along, monotone, value, tolerance, baseline, factor, paper, min_seeds, pool, curve)";

    @Test
    void aWellFormedSectionIsRead() {
        ReportSpec spec = parse("""
                report:
                  plots:
                    - {metric: result, x: x, group: q, log_x: true, title: T, y_range: [0, 1]}
                    - {metric: train/value, x: step, where: {q: a, x: 1}, max_step: 10}
                claims:
                  - name: grows
                    source: Paper, Table 1
                    check: increasing
                    metric: result
                    along: x
                    monotone: true
                    paper: 2x better
                  - check: within
                    metric: result
                    where: {q: a}
                    value: 0.5
                    tolerance: 0.25
                    min_seeds: 3
                  - check: ratio_at_least
                    metric: result
                    where: {q: b}
                    baseline: {q: a}
                    factor: 2
                """);
        assertEquals(2, spec.plots().size());
        PlotSpec p = spec.plots().get(0);
        assertEquals("result", p.metric());
        assertEquals("x", p.x());
        assertEquals("q", p.group());
        assertTrue(p.logX());
        assertEquals("T", p.title());
        assertEquals(false, p.overSteps());
        assertEquals(new PlotSpec.Range(0, 1), p.yRange());
        PlotSpec steps = spec.plots().get(1);
        assertTrue(steps.overSteps());
        assertEquals(10L, steps.maxStep());
        assertNull(steps.yRange());
        assertEquals(Map.of("q", "a", "x", 1L), steps.where());

        assertEquals(List.of("grows", "claim-2", "claim-3"), spec.claims().stream().map(ClaimSpec::name).toList());
        ClaimSpec grows = spec.claims().get(0);
        assertEquals(ClaimSpec.Kind.INCREASING, grows.kind());
        assertEquals("x", grows.along());
        assertTrue(grows.monotone());
        assertEquals("Paper, Table 1", grows.source());
        assertEquals("2x better", grows.paper());
        assertEquals(2, grows.minSeeds());
        assertEquals(Map.of(), grows.where());
        assertEquals(8, grows.origin().line());
        ClaimSpec within = spec.claims().get(1);
        assertEquals(0.5, within.value());
        assertEquals(0.25, within.tolerance());
        assertEquals(3, within.minSeeds());
        assertNull(within.paper());
        ClaimSpec ratio = spec.claims().get(2);
        assertEquals(Map.of("q", "a"), ratio.baseline());
        assertEquals(2.0, ratio.factor());
    }

    @Test
    void unknownKeysSuggestTheNearestAndListTheAccepted() {
        assertEquals("e.yaml:7: claims[0].valeu: unknown key; did you mean 'value'? " + CLAIM_KEYS, error("""
                claims:
                  - name: a
                    check: at_least
                    metric: result
                    valeu: 3
                """));
        assertEquals("e.yaml:6: report.plots[0].grup: unknown key; did you mean 'group'? (accepted: metric, x, group, where, "
                + "log_x, log_y, title, x_label, y_label, max_step, y_range)", error("""
                report:
                  plots:
                    - metric: result
                      grup: q
                      x: x
                """));
        assertEquals("e.yaml:4: report.plot: unknown key; did you mean 'plots'? (accepted: plots)", error("""
                report:
                  plot: []
                """));
    }

    @Test
    void anUnknownCheckListsTheKinds() {
        assertEquals("e.yaml:5: claims[0].check: unknown check 'at_leest'; did you mean 'at_least'? (accepted: at_least, "
                + "at_most, within, decreasing, increasing, ratio_at_least, ratio_at_most)", error("""
                claims:
                  - name: a
                    check: at_leest
                    metric: result
                    value: 3
                """));
        assertTrue(error("claims:\n  - {check: bigger, metric: result}\n")
                .startsWith("e.yaml:4: claims[0].check: unknown check 'bigger' (accepted: at_least, "), "no near name, no suggestion");
    }

    @Test
    void anUnknownCurveListsTheStatisticsAndACurveDoesNotPool() {
        assertEquals("e.yaml:7: claims[0].curve: unknown curve 'last_chnage'; did you mean 'last_change'? (accepted: first, last,"
                + " last_change, drop, relative_drop)", error("""
                claims:
                  - name: converged
                    check: at_most
                    metric: eval/result
                    curve: last_chnage
                    value: 0.01
                """));
        assertEquals("e.yaml:4: claims[0].pool: pool: pools a rate summary's draws and does not combine with curve: (a statistic"
                + " of a step curve); drop one of them",
                error("claims:\n  - {check: at_most, metric: eval/result, curve: last, pool: draws, value: 1}\n"));
        ClaimSpec c = parse("claims:\n  - {check: at_least, metric: eval/result, curve: drop, value: 0}\n").claims().get(0);
        assertEquals(org.ablate.experiment.CurveStatistic.DROP, c.curve());
        assertEquals("eval/result (curve: drop)", c.measure());
        // a step metric is not among the summaries: a complete sweep does not refuse it
        parse("claims:\n  - {check: at_least, metric: eval/result, curve: drop, value: 0}\n").validate(SWEPT, METRICS, true);
    }

    @Test
    void eachKindNamesTheKeyItNeeds() {
        assertEquals("e.yaml:4: claims[0]: a 'at_least' claim needs 'value'",
                error("claims:\n  - {check: at_least, metric: result}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'at_most' claim needs 'value'",
                error("claims:\n  - {check: at_most, metric: result, tolerance: 1}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'within' claim needs 'value'",
                error("claims:\n  - {check: within, metric: result, tolerance: 1}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'within' claim needs 'tolerance'",
                error("claims:\n  - {check: within, metric: result, value: 1}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'decreasing' claim needs 'along'",
                error("claims:\n  - {check: decreasing, metric: result}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'increasing' claim needs 'along'",
                error("claims:\n  - {check: increasing, metric: result, value: 3}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'ratio_at_least' claim needs 'baseline'",
                error("claims:\n  - {check: ratio_at_least, metric: result, factor: 2}\n"));
        assertEquals("e.yaml:4: claims[0]: a 'ratio_at_most' claim needs 'factor'",
                error("claims:\n  - {check: ratio_at_most, metric: result, baseline: {q: a}}\n"));
        assertEquals("e.yaml:4: claims[0]: missing required key 'check'",
                error("claims:\n  - {metric: result, value: 1}\n"));
        assertEquals("e.yaml:4: claims[0]: missing required key 'metric'",
                error("claims:\n  - {check: at_least, value: 1}\n"));
        assertEquals("e.yaml:5: report.plots[0]: missing required key 'x'",
                error("report:\n  plots:\n    - {metric: result}\n"));
    }

    @Test
    void valuesAreChecked() {
        assertEquals("e.yaml:4: claims[0].min_seeds: min_seeds must be at least 2 (a confidence interval needs two seeds)",
                error("claims:\n  - {check: at_least, metric: result, value: 1, min_seeds: 1}\n"));
        assertEquals("e.yaml:4: claims[0].tolerance: tolerance must be >= 0, got -0.1",
                error("claims:\n  - {check: within, metric: result, value: 1, tolerance: -0.1}\n"));
        assertEquals("e.yaml:4: claims[0].factor: factor must be > 0, got -2.0",
                error("claims:\n  - {check: ratio_at_least, metric: result, baseline: {q: a}, factor: -2}\n"));
        assertEquals("e.yaml:4: claims[0].factor: factor must be > 0, got 0.0",
                error("claims:\n  - {check: ratio_at_most, metric: result, baseline: {q: a}, factor: 0}\n"));
        assertEquals("e.yaml:4: claims[0].value: expected a number, got 'high'",
                error("claims:\n  - {check: at_least, metric: result, value: high}\n"));
        assertEquals("e.yaml:4: claims[0].factor: expected a finite number, got NaN",
                error("claims:\n  - {check: ratio_at_least, metric: result, baseline: {q: a}, factor: .nan}\n"));
        assertEquals("e.yaml:4: claims[0].value: expected a finite number, got -Infinity",
                error("claims:\n  - {check: at_most, metric: result, value: -.inf}\n"));
        assertEquals("e.yaml:4: claims[0].monotone: expected true or false, got 'yes please'",
                error("claims:\n  - {check: increasing, metric: result, along: x, monotone: yes please}\n"));
        assertEquals("e.yaml:5: report.plots[0].y_range: expected two numbers [min, max], got a list of 3",
                error("report:\n  plots:\n    - {metric: result, x: x, y_range: [0, 1, 2]}\n"));
        assertEquals("e.yaml:5: report.plots[0].y_range: expected two numbers [min, max], got 1",
                error("report:\n  plots:\n    - {metric: result, x: x, y_range: 1}\n"));
        assertEquals("e.yaml:5: report.plots[0].y_range[1]: expected a number, got 'top'",
                error("report:\n  plots:\n    - {metric: result, x: x, y_range: [0, top]}\n"));
        assertEquals("e.yaml:5: report.plots[0].y_range: y_range must have min < max, got [1.0, 1.0]",
                error("report:\n  plots:\n    - {metric: result, x: x, y_range: [1, 1]}\n"));
        assertEquals("e.yaml:5: report.plots[0].y_range: y_range on a log axis (log_y: true) needs min > 0, got 0.0",
                error("report:\n  plots:\n    - {metric: result, x: x, log_y: true, y_range: [0, 1]}\n"));
        assertEquals("e.yaml:4: claims[0].where.q: expected a single value to select on, got a list",
                error("claims:\n  - {check: at_least, metric: result, value: 1, where: {q: [a, b]}}\n"));
    }

    @Test
    void claimNamesAreUnique() {
        assertEquals("e.yaml:8: claims[1]: claim name 'same' is used twice", error("""
                claims:
                  - name: same
                    check: at_least
                    metric: result
                    value: 1
                  - {name: same, check: at_most, metric: result, value: 2}
                """));
    }

    @Test
    void everyShippedExperimentsReportSectionParses() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("..", "..", "experiments");
        assertTrue(java.nio.file.Files.isDirectory(dir), dir.toAbsolutePath().toString());
        int claims = 0;
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                claims += ExperimentParser.parse(f).report().claims().size();
            }
        }
        assertTrue(claims > 0, "the shipped experiments declare claims");
    }

    private static final List<String> SWEPT = List.of("x", "q");
    private static final Set<String> METRICS = Set.of("result");

    private static String invalid(String body, boolean complete) {
        ReportSpec spec = parse(body);
        ConfigException e = assertThrows(ConfigException.class, () -> spec.validate(SWEPT, METRICS, complete));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anUnknownMetricIsAnErrorOnceTheSweepIsComplete() {
        String typo = "claims:\n  - {name: c, check: at_least, metric: resutl, value: 1}\n";
        assertEquals("e.yaml:4: claims[0]: claim 'c': no summary metric 'resutl' in the results; did you mean 'result'? "
                + "(accepted: result)", invalid(typo, true));
        parse(typo).validate(SWEPT, METRICS, false); // some trials not finished: it may just not be reported yet

        assertEquals("e.yaml:5: report.plots[0]: plot: no summary metric 'reslt' in the results; did you mean 'result'? "
                + "(accepted: result)", invalid("report:\n  plots:\n    - {metric: reslt, x: x}\n", true));
        // a metric over steps is a training history, not a summary metric
        parse("report:\n  plots:\n    - {metric: train/value, x: step, where: {q: a, x: 1}}\n").validate(SWEPT, METRICS, true);
    }

    @Test
    void parametersMustHaveBeenSwept() {
        assertEquals("e.yaml:5: report.plots[0]: x: 'steps' is not a swept parameter (swept: x, q)",
                invalid("report:\n  plots:\n    - {metric: result, x: steps}\n", false));
        assertEquals("e.yaml:5: report.plots[0]: group: 'qq' is not a swept parameter; did you mean 'q'? (swept: x, q)",
                invalid("report:\n  plots:\n    - {metric: result, x: x, group: qq}\n", false));
        assertEquals("e.yaml:5: report.plots[0]: where: 'mode' is not a swept parameter (swept: x, q)",
                invalid("report:\n  plots:\n    - {metric: train/value, x: step, where: {mode: ok}}\n", false));
        assertEquals("e.yaml:4: claims[0]: where: 'steps' is not a swept parameter (swept: x, q)",
                invalid("claims:\n  - {check: at_least, metric: result, value: 1, where: {steps: 10}}\n", true));
        assertEquals("e.yaml:4: claims[0]: along: 'xx' is not a swept parameter; did you mean 'x'? (swept: x, q)",
                invalid("claims:\n  - {check: decreasing, metric: result, along: xx}\n", true));
        assertEquals("e.yaml:4: claims[0]: baseline: 'steps' is not a swept parameter (swept: x, q)",
                invalid("claims:\n  - {check: ratio_at_most, metric: result, baseline: {steps: 1}, factor: 2}\n", true));
        ReportSpec spec = parse("claims:\n  - {check: decreasing, metric: result, along: x}\n");
        assertEquals("e.yaml:4: claims[0]: along: 'x' is not a swept parameter (swept: none)",
                assertThrows(ConfigException.class, () -> spec.validate(List.of(), METRICS, true)).getMessage());
    }
}
