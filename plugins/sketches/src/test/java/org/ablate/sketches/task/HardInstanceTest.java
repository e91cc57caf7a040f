package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.ablate.sketches.family.SrhtProbabilities;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Price–Song–Woodruff's Count-Sketch counterexample A = [I_d; 0], b = e_n (x* = 0, ||r|| = ||A†|| = 1,
 * so eps_eff = √d·||x'||∞), run through the CLI at n = 2048, d = 32, m = 4d = 128, 60 draws.
 *
 * What the numbers are, and why:
 * - Count-Sketch: SA has full rank only if the d identity rows hash to distinct buckets
 *   (probability Π_{i<d}(1 − i/m) ≈ 0.015 here); then x' = 0 unless row n shares a bucket with an
 *   identity row, when |x'_i| = 1. So every draw's eps_eff is exactly 0, √d or ∞ (rank-deficient).
 * - Gaussian/Rademacher: x' = (S₁ᵀS₁)⁻¹S₁ᵀs_n with S₁ independent of s_n, so x'_i ≈ N(0, 1/(m − d − 1)):
 *   eps_eff ≈ √d·max_i |x'_i| ≈ √(2d·ln(2d)/m) ≈ 1.4. No draw fails by a constant
 *   (all below √d/2), but at m = 4d none meets ε = 0.5 either.
 * - SRHT: H·D·[I_d; 0] is the first d Walsh columns, periodic with period d, so SA is rank-deficient
 *   exactly when the m sampled rows miss a residue mod d (coupon collector, probability 0.394 here);
 *   its full-rank draws behave like the Gaussian ones.
 */
class HardInstanceTest {

    private static final int N = 2048;
    private static final int D = 32;
    private static final int M = 128;
    private static final int DRAWS = 60;
    private static final double SQRT_D = Math.sqrt(D);
    /** The dense sketches' Gaussian-concentration scale √(2d·ln(2d)/m), doubled. */
    private static final double DENSE_SCALE = 2 * Math.sqrt(2 * D * Math.log(2 * D) / M);

    @TempDir
    static Path tmp;

    private static final Map<String, TrialFolder> bySketch = new HashMap<>();

    @BeforeAll
    static void runTheSweep() throws Exception {
        String yaml = """
                name: countsketch-hard
                task: linf-regression
                params:
                  instance: countsketch-hard
                  n: %d
                  d: %d
                  m: "4 * d"
                  draws: %d
                  epsilon: 0.5
                sweep:
                  grid:
                    sketch: [gaussian, rademacher, srht, countsketch]
                seeds: [0]
                """.formatted(N, D, DRAWS);
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "countsketch-hard", yaml);
        assertEquals(0, run.code(), run.toString());
        for (TrialFolder t : TrialRecords.trials(tmp.resolve("results"), "countsketch-hard")) {
            assertEquals(TrialState.FINISHED, TrialRecords.state(t));
            bySketch.put((String) TrialRecords.param(t, "sketch"), t);
        }
        assertEquals(4, bySketch.size());
    }

    private static double[] draws(String sketch) throws Exception {
        Map<Long, Double> eps = TrialRecords.metric(bySketch.get(sketch), "draw/eps_eff");
        assertEquals(DRAWS, eps.size(), "one eps_eff line per draw");
        for (long j = 0; j < DRAWS; j++) {
            assertTrue(eps.containsKey(j), "draw " + j + " logged");
        }
        return eps.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double summary(String sketch, String key) throws Exception {
        return TrialRecords.summary(bySketch.get(sketch), key);
    }

    @Test
    void theSummaryAgreesWithTheLoggedDraws() throws Exception {
        for (String sketch : bySketch.keySet()) {
            double[] eps = draws(sketch);
            double[] sorted = eps.clone();
            Arrays.sort(sorted);
            // 60 draws: the median interpolates the 30th and 31st order statistics
            double median = sorted[29] == sorted[30] ? sorted[29] : (sorted[29] + sorted[30]) / 2;
            assertEquals(median, summary(sketch, "eps_eff_median"), 1e-12 * Math.max(1, Math.abs(median)), sketch);
            assertEquals(sorted[DRAWS - 1], summary(sketch, "eps_eff_max"), 0.0, sketch);
            long over = Arrays.stream(eps).filter(e -> !(e <= 0.5)).count();
            assertEquals(over / (double) DRAWS, summary(sketch, "failure_rate"), 1e-12, sketch);
            long infinite = Arrays.stream(eps).filter(Double::isInfinite).count();
            assertEquals(infinite / (double) DRAWS, summary(sketch, "rank_deficient_rate"), 1e-12, sketch);
            assertEquals(M, summary(sketch, "m"));
            assertEquals(4.0, summary(sketch, "m_over_d"));
            // A = [I_d; 0]: σ_min = σ_max = 1
            assertEquals(1.0, summary(sketch, "sigma_min"), 1e-12);
            assertEquals(1.0, summary(sketch, "condition_number"), 1e-12);
        }
    }

    @Test
    void countSketchFailsByAConstantOrByRank() throws Exception {
        double[] eps = draws("countsketch");
        for (double e : eps) {
            // exactly 0 (no collision), √d (row n collides with one identity row) or ∞ (two identity rows collide)
            boolean ok = e == 0 || Math.abs(e - SQRT_D) < 1e-9 || e == Double.POSITIVE_INFINITY;
            assertTrue(ok, "count-sketch eps_eff " + e + " is none of 0, sqrt(d), infinity");
        }
        double failure = summary("countsketch", "failure_rate");
        assertTrue(failure >= 0.2, "count-sketch failure rate " + failure);
        // rank-deficient unless the 32 identity rows land in distinct buckets: P(full rank) ≈ 0.015
        double fullRank = 1;
        for (int i = 0; i < D; i++) {
            fullRank *= 1 - i / (double) M;
        }
        double q = 1 - fullRank;
        double rate = summary("countsketch", "rank_deficient_rate");
        assertTrue(Math.abs(rate - q) <= 4 * Math.sqrt(q * (1 - q) / DRAWS) + 1.0 / DRAWS,
                "rank-deficient rate " + rate + ", expected " + q);
    }

    @Test
    void denseSketchesHaveSmallErrorsButDoNotMeetHalfAtFourD() throws Exception {
        for (String sketch : new String[] {"gaussian", "rademacher"}) {
            double[] eps = draws(sketch);
            for (double e : eps) {
                assertTrue(e < SQRT_D / 2, sketch + ": eps_eff " + e + " is a constant-size error (>= sqrt(d)/2)");
            }
            double median = summary(sketch, "eps_eff_median");
            assertTrue(median < DENSE_SCALE, sketch + ": median " + median + " above " + DENSE_SCALE);
            // and well below count-sketch's constant error √d
            assertTrue(median < SQRT_D / 3, sketch + ": median " + median);
            assertEquals(0.0, summary(sketch, "rank_deficient_rate"), sketch);
            // x'_i ≈ N(0, 1/95): eps_eff <= 0.5 needs all 32 |x'_i| below 0.86 sd (probability ~1e-7)
            assertEquals(1.0, summary(sketch, "failure_rate"), sketch + ": no sketch meets eps = 0.5 at m = 4d");
        }
    }

    @Test
    void srhtFailsOnlyByMissingAResidueModD() throws Exception {
        double[] eps = draws("srht");
        double[] finite = Arrays.stream(eps).filter(Double::isFinite).toArray();
        for (double e : finite) {
            assertTrue(e < SQRT_D / 2, "a full-rank SRHT draw has eps_eff " + e);
        }
        double[] sorted = finite.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[sorted.length / 2] < DENSE_SCALE, "median of the full-rank draws " + sorted[sorted.length / 2]);
        double q = 1 - SrhtProbabilities.allResiduesCovered(N, D, M);
        double rate = summary("srht", "rank_deficient_rate");
        assertTrue(Math.abs(rate - q) <= 4 * Math.sqrt(q * (1 - q) / DRAWS),
                "SRHT rank-deficient rate " + rate + ", coupon-collector probability " + q);
        assertTrue(rate > 0.1, "the SRHT's coupon-collector failures are real at m = 4d: " + rate);
    }
}
