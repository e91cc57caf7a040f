package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A formula parameter's value is worked out with the trial's own variables, for trackers' readers. */
class ExpressionValuesTest {

    @TempDir
    Path tmp;

    @Test
    void aFormulaGetsItsValueAndAPlainNumberNone() throws Exception {
        Path file = Sweeps.write(tmp, "f", """
                task: formula
                sweep: {grid: {d: [8, 16], m: ["4 * d", "d^2 / 2", 100]}}
                """);
        List<TrialSpec> trials = Sweeps.plan(file).trials();
        assertEquals(6, trials.size());
        for (TrialSpec t : trials) {
            long d = (Long) t.params().get("d");
            Object m = t.params().get("m");
            Map<String, Double> values = t.params().expressionValues();
            if (m instanceof String formula) {
                assertEquals(Map.of("m", formula.equals("4 * d") ? 4.0 * d : d * d / 2.0), values, formula);
            } else {
                assertEquals(Map.of(), values, "a number is its own value: " + m);
            }
        }
    }

    @Test
    void theValueIsNoPartOfTheTrialsIdentity() throws Exception {
        Path file = Sweeps.write(tmp, "g", """
                task: formula
                sweep: {grid: {m: ["4 * d", "2 * d + 2 * d"]}}
                """);
        List<TrialSpec> trials = Sweeps.plan(file).trials();
        // same value, different text: two trials (the text is what was asked for), ids from the params alone
        assertEquals(trials.get(0).params().expressionValues(), trials.get(1).params().expressionValues());
        assertNotEquals(trials.get(0).id(), trials.get(1).id());
        assertEquals(new org.ablate.spi.Parameters(trials.get(0).params().asMap()), trials.get(0).params());
    }

    @Test
    void aFormulaWithoutAFiniteValueNeverReachesATrial() throws Exception {
        // validation evaluates it with the configuration's own d (issue 11): no trial carries a NaN value
        Path file = Sweeps.write(tmp, "h", """
                task: formula
                params: {m: "d / 0 - d / 0"}
                """);
        org.ablate.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.ablate.config.ConfigException.class, () -> Sweeps.plan(file));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("params.m: 'd / 0 - d / 0' cannot be evaluated with d = 16"),
                e.getMessage());
    }
}
