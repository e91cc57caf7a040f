package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linf-min-m: bisection over a geometric grid of m, checked against its own probes and a direct run. */
class MinRowsTaskTest {

    @TempDir
    Path tmp;

    @Test
    void theSmallestMReachesTheTargetAndTheGridPointBelowItDoesNot() throws Exception {
        String common = """
                  sketch: gaussian
                  instance: gaussian
                  n: 1024
                  d: 8
                  noise: 1.0
                  draws: 20
                  epsilon: 1.0
                """;
        String search = "name: min-m\ntask: linf-min-m\nparams:\n" + common
                + "  target_failure: 0.1\n  m_low: \"2 * d\"\n  m_high: \"64 * d\"\n  ratio: 1.25\nseeds: [3]\n";
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "min-m", search);
        assertEquals(0, run.code(), run.toString());
        TrialFolder t = TrialRecords.trials(tmp.resolve("results"), "min-m").get(0);
        assertEquals(TrialState.FINISHED, TrialRecords.state(t));

        // the grid: ceil(16 · 1.25^k) below 512, then 512
        List<Integer> grid = new ArrayList<>();
        for (double m = 16; m < 512; m *= 1.25) {
            int r = (int) Math.ceil(m);
            if (grid.isEmpty() || r > grid.get(grid.size() - 1)) {
                grid.add(r);
            }
        }
        grid.add(512);

        double mMin = TrialRecords.summary(t, "m_min");
        assertEquals(1.0, TrialRecords.summary(t, "reached"));
        assertTrue(grid.contains((int) mMin), "m_min " + mMin + " is not on the grid " + grid);
        assertEquals(mMin / 8, TrialRecords.summary(t, "m_min_over_d"), 1e-12);
        assertEquals(mMin / (8 * Math.pow(Math.log(1024), 3)), TrialRecords.summary(t, "m_min_over_d_log3n"), 1e-12);
        // a dense sketch meets eps = 1 at roughly m ≈ 2d·ln(2d) ≈ 44 and above: well inside (16, 512)
        assertTrue(mMin > 16 && mMin < 256, "m_min " + mMin);

        Map<Long, Double> probedM = TrialRecords.metric(t, "search/m");
        Map<Long, Double> probedRate = TrialRecords.metric(t, "search/failure_rate");
        assertEquals(probedM.size(), (int) TrialRecords.summary(t, "probes"));
        assertTrue(probedM.size() <= Math.ceil(Math.log(grid.size()) / Math.log(2)) + 1, "bisection probes " + probedM.size());
        double rateAtMin = Double.NaN;
        double rateBelow = Double.NaN;
        int below = grid.get(grid.indexOf((int) mMin) - 1);
        for (Map.Entry<Long, Double> e : probedM.entrySet()) {
            if (e.getValue() == mMin) {
                rateAtMin = probedRate.get(e.getKey());
            }
            if (e.getValue() == below) {
                rateBelow = probedRate.get(e.getKey());
            }
        }
        assertTrue(rateAtMin <= 0.1, "failure rate at m_min " + rateAtMin);
        assertTrue(rateBelow > 0.1, "the grid point below m_min (" + below + ") was probed and missed the target: " + rateBelow);

        // the same seed gives the same instance and draws in linf-regression: its failure rate at m_min is the probe's
        String direct = "name: direct\ntask: linf-regression\nparams:\n" + common + "  m: " + (int) mMin + "\nseeds: [3]\n";
        InProcessCli.Result run2 = InProcessCli.runYaml(tmp, "direct", direct);
        assertEquals(0, run2.code(), run2.toString());
        TrialFolder d = TrialRecords.trials(tmp.resolve("results"), "direct").get(0);
        assertEquals(rateAtMin, TrialRecords.summary(d, "failure_rate"), 1e-12);
    }
}
