package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.testing.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An m rule that cannot give a number for the configuration's fixed n and d is refused when the
 * file is validated (exit 2, one located line), instead of passing and failing every trial.
 */
class ExpressionValidationTest {

    @TempDir
    Path tmp;

    private static final String ACCEPTED = " (accepted: a number or an expression in n, d"
            + " (+ - * / ^, log, log2, sqrt, ceil, floor, ...)";

    private InProcessCli.Result run(String name, String m) throws Exception {
        return InProcessCli.runYaml(tmp, name, "name: " + name + "\ntask: linf-regression\nparams:\n  n: 256\n  d: 8\n"
                + "  m: " + m + "\n  draws: 2\nseeds: [0]\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "div0   | '\"d / 0\"'      | 'd / 0' cannot be evaluated with n = 256, d = 8: division by zero" + ACCEPTED + ")",
        "logneg | '\"log(-1)\"'    | 'log(-1)' evaluates to NaN with n = 256, d = 8" + ACCEPTED + ", finite)",
        "sqrtd  | '\"sqrt(-d)\"'   | 'sqrt(-d)' evaluates to NaN with n = 256, d = 8" + ACCEPTED + ", finite)",
        "bigmul | '\"1e400 * d\"'  | '1e400 * d' evaluates to Infinity with n = 256, d = 8" + ACCEPTED + ", finite)",
        "biglit | 1e400          | number 1e400 does not fit in a 64-bit float (accepted: magnitudes up to 1.8e308; write .inf for infinity)",
    })
    void anUnusableRuleIsRefusedBeforeAnyTrialRuns(String name, String m, String problem) throws Exception {
        InProcessCli.Result r = run(name, m);
        assertEquals(2, r.code(), r.toString());
        assertEquals("ablate: error: " + tmp.resolve(name + ".yaml") + ":6: params.m: " + problem + "\n",
                r.err().replace("\r", ""), r.toString());
        assertFalse(Files.exists(tmp.resolve("results").resolve(name)), "no trial may be written");
    }

    @Test
    void aSweptDThatMakesTheRuleUnusableNamesThatConfiguration() throws Exception {
        InProcessCli.Result r = InProcessCli.runYaml(tmp, "swept", "name: swept\ntask: linf-regression\nparams:\n  n: 256\n"
                + "  m: \"log(d - 4) * d\"\n  draws: 2\nsweep:\n  grid:\n    d: [8, 4]\nseeds: [0]\n");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(":5: params.m: 'log(d - 4) * d' evaluates to -Infinity with n = 256, d = 4"), r.toString());
    }

    @Test
    void anUnknownVariableIsRefused() throws Exception {
        InProcessCli.Result r = run("unknownvar", "\"k * d\"");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(":6: params.m: invalid expression 'k * d': Unknown function or variable 'k'"), r.toString());
    }

    @Test
    void aUsableRuleStillRuns() throws Exception {
        InProcessCli.Result r = run("fine", "\"4 * d\"");
        assertEquals(0, r.code(), r.toString());
    }
}
