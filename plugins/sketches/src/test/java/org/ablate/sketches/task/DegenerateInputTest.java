package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Degenerate regressions end as FAILED trials with a reason that says what is wrong; bad m rules never run. */
class DegenerateInputTest {

    @TempDir
    Path tmp;

    private static String yaml(String name, String params) {
        return "name: " + name + "\n"
                + "task: linf-regression\n"
                + "params:\n"
                + params
                + "seeds: [0]\n";
    }

    /** Runs a one-trial experiment and returns that trial's status (the run must exit 1: a trial failed). */
    private TrialStatus failedTrial(String name, String params) throws Exception {
        InProcessCli.Result run = InProcessCli.runYaml(tmp, name, yaml(name, params));
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.out().startsWith(name + ": 0 finished, 1 failed"), run.toString());
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), name);
        assertEquals(1, trials.size());
        TrialStatus status = trials.get(0).status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        return status;
    }

    @Test
    void fewerRowsThanColumnsFails() throws Exception {
        TrialStatus s = failedTrial("n-below-d", "  n: 8\n  d: 16\n  m: \"d\"\n  draws: 2\n");
        assertEquals("java.lang.IllegalArgumentException: n = 8 must be at least d = 16 (an overdetermined regression)", s.reason());
    }

    @Test
    void fewerSketchRowsThanUnknownsFails() throws Exception {
        TrialStatus s = failedTrial("m-below-d", "  n: 256\n  d: 32\n  m: \"d / 2\"\n  draws: 2\n");
        assertEquals("java.lang.IllegalArgumentException: m = d / 2 gives m = 16 rows, fewer than the d = 32 unknowns"
                + " (m must be at least d)", s.reason());
    }

    /** Refused at validation now, before any trial is written (issue 11): see ExpressionValidationTest. */
    @Test
    void anExpressionThatIsNotFiniteIsRefusedBeforeRunning() throws Exception {
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "m-nan", yaml("m-nan", "  n: 256\n  d: 8\n  m: \"sqrt(-d)\"\n  draws: 2\n"));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("params.m: 'sqrt(-d)' evaluates to NaN with n = 256, d = 8"), run.toString());
    }

    @Test
    void tooFewRowsForTheSamplingHardInstanceFails() throws Exception {
        TrialStatus s = failedTrial("sampling-hard-small", "  instance: sampling-hard\n  n: 12\n  d: 8\n  m: \"d\"\n  draws: 2\n");
        assertTrue(s.reason().contains("sampling-hard needs at least two copies of I_d: n >= 2d, got n = 12, d = 8"), s.reason());
    }

    /**
     * BUG (reported, not fixed): with noise 0 the Gaussian instance has b = A x0 only up to rounding,
     * so the QR's residual corner is ~1e-15 rather than exactly 0; LinfProblem's check
     * {@code !(residualNorm > 0)} passes, and the trial FINISHES (exit 0) with eps_eff_median ≈ 2.57
     * (n = 256, d = 8, m = 4d, seed 0): a ratio of two rounding errors (x' − x* and ||Ax* − b||
     * are both ~1e-15) that looks like a plausible measurement, instead of FAILING with
     * "||Ax* - b|| = 0, so eps_eff is undefined ...".
     */
    @Test
    void zeroNoiseFailsBecauseEpsEffIsUndefined() throws Exception {
        TrialStatus s = failedTrial("noise-zero", "  n: 256\n  d: 8\n  m: \"4 * d\"\n  noise: 0\n  draws: 2\n");
        assertTrue(s.reason().startsWith("java.lang.IllegalArgumentException: ||Ax* - b|| = 0, so eps_eff is undefined"), s.reason());
    }

    /**
     * BUG (reported, not fixed): m = d is accepted by LinfProblem.rows ("m must be at least d") and
     * swept by linf-dense-vs-sparse.yaml, but solving the square d × (d+1) sketched system throws
     * java.lang.Error "geqrf: R must be N x N (n = columns in A)" from ND4J, failing the trial.
     */
    @Test
    void mEqualToDRuns() throws Exception {
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "m-equals-d", yaml("m-equals-d", "  n: 256\n  d: 8\n  m: \"d\"\n  draws: 3\n"));
        assertEquals(0, run.code(), run.toString());
        TrialFolder t = TrialRecords.trials(tmp.resolve("results"), "m-equals-d").get(0);
        assertEquals(8.0, TrialRecords.summary(t, "m"));
    }

    /**
     * The same bug through linf-min-m: its default m_low is "d" (and linf-m-scaling.yaml sets it), so
     * whenever every probed m meets the target the bisection walks down to m = d and the trial
     * FAILS with the ND4J java.lang.Error instead of reporting m_min = d.
     */
    @Test
    void theMinimumRowSearchCanReachMEqualToD() throws Exception {
        String yaml = "name: min-m-at-d\ntask: linf-min-m\nparams:\n  n: 256\n  d: 4\n  draws: 2\n  epsilon: 1000000.0\n"
                + "  target_failure: 0.5\nseeds: [0]\n";
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "min-m-at-d", yaml);
        assertEquals(0, run.code(), run.toString());
        TrialFolder t = TrialRecords.trials(tmp.resolve("results"), "min-m-at-d").get(0);
        assertEquals(4.0, TrialRecords.summary(t, "m_min"));
    }

    @Test
    void anInvalidRowRuleIsRejectedBeforeAnythingRuns() throws Exception {
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "bad-m", yaml("bad-m", "  n: 256\n  d: 8\n  m: \"4 * q\"\n"));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("invalid expression '4 * q'"), run.toString());
        assertTrue(run.err().contains("bad-m.yaml"), "the message names the file: " + run);
        assertEquals(0, TrialRecords.trials(tmp.resolve("results"), "bad-m").size(), "no trial folder is created");
    }

    @Test
    void anUnknownSketchIsRejectedBeforeAnythingRuns() throws Exception {
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "bad-sketch", yaml("bad-sketch", "  n: 256\n  d: 8\n  sketch: srth\n"));
        assertEquals(2, run.code(), run.toString());
        assertTrue(run.err().contains("srth"), run.toString());
        assertTrue(run.err().contains("srht"), "the accepted values are listed: " + run);
    }
}
