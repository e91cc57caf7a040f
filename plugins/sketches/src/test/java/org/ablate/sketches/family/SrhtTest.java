package org.ablate.sketches.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.instance.CountSketchHardInstance;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.LeastSquares;
import org.ablate.sketches.spi.SketchInput;
import org.junit.jupiter.api.Test;

/** The SRHT is exactly (1/√m)·P·H·D on the zero-padded input, with P sampling distinct rows. */
class SrhtTest {

    private static final TestMatrices.Family SRHT = TestMatrices.families().get("srht");

    /** S decomposed as (1/√m)·P·H·D: the sampled Hadamard rows p_r and the column signs D_c. */
    private record Factors(int[] rows, double[] signs) {
    }

    /**
     * Recovers P and D from S (m × n, padded order N). S determines them only up to
     * p_r → p_r ⊕ q, D_c → D_c·H[q][c] (the same S), so the gauge p_0 = 0 is fixed: D_c = sign S[0][c].
     * Row r's index p_r is read off the columns 1, 2, 4, …: H[p][2^k] = −1 iff bit k of p is set.
     */
    private static Factors factor(DenseMatrix s, int order) {
        int m = s.rows();
        int n = s.cols();
        double[] signs = new double[n];
        for (int c = 0; c < n; c++) {
            signs[c] = Math.signum(s.get(0, c));
        }
        int[] rows = new int[m];
        for (int r = 0; r < m; r++) {
            int p = 0;
            for (int bit = 1; bit < order; bit <<= 1) {
                if (Math.signum(s.get(r, bit)) * signs[bit] < 0) {
                    p |= bit;
                }
            }
            rows[r] = p;
        }
        return new Factors(rows, signs);
    }

    @Test
    void onANonPowerOfTwoNItIsTheExplicitProductOfSamplingHadamardAndSigns() {
        int n = 100;          // padded to N = 128
        int order = 128;
        int m = 48;
        long seed = 5;
        DenseMatrix s = TestMatrices.sketchMatrix(SRHT, n, m, seed);
        assertEquals(m, s.rows());
        assertEquals(n, s.cols());

        // every entry is exactly ±1/√m (the FWHT of ±1/0 columns is exact in floating point)
        double entry = 1.0 / Math.sqrt(m);
        for (double v : s.data()) {
            assertEquals(entry, Math.abs(v), 0.0);
        }

        // S = (1/√m)·P·H·D: every row, with D undone, is a row of H (restricted to the first n columns)
        double[][] h = TestMatrices.hadamard(order);
        Factors f = factor(s, order);
        Set<Integer> distinct = new HashSet<>();
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                assertEquals(h[f.rows()[r]][c], Math.signum(s.get(r, c)) * f.signs()[c], 0.0,
                        "S[" + r + "][" + c + "] is not ±H[p_r][c]·D_c");
            }
            distinct.add(f.rows()[r]);
        }
        assertEquals(m, distinct.size(), "P samples rows without replacement");

        // D is random: not itself ± a Hadamard row on the first n columns, which is what the gauge
        // would make of D = I (a plain subsampled Hadamard transform); a random D is one with
        // probability 2·128 / 2^100
        for (int p = 0; p < order; p++) {
            double agree = 0;
            for (int c = 0; c < n; c++) {
                agree += h[p][c] * f.signs()[c];
            }
            assertTrue(Math.abs(agree) < n, "the signs D are Hadamard row " + p + ": no random sign flip");
        }

        // the sketch of a random [A | b] equals the explicit product (1/√m)·P·H·D·[A | b]
        DenseMatrix ab = TestMatrices.gaussian(n, 6, 17);
        DenseMatrix explicit = new DenseMatrix(m, 6);
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < n; i++) {
                double w = entry * h[f.rows()[r]][i] * f.signs()[i];
                for (int c = 0; c < 6; c++) {
                    explicit.set(r, c, explicit.get(r, c) + w * ab.get(i, c));
                }
            }
        }
        DenseMatrix sketched = SRHT.apply(ab, m, seed);
        assertTrue(TestMatrices.relativeDifference(sketched, explicit) < 1e-12,
                "SRHT(A) differs from (1/sqrt m) P H D A by " + TestMatrices.relativeDifference(sketched, explicit));
        // and S read from the identity reproduces it too
        assertTrue(TestMatrices.relativeDifference(TestMatrices.multiply(s, ab), sketched) < 1e-12);
    }

    /**
     * What the random signs are for: U = 8 Walsh columns of H/√N (orthonormal) is mapped by H alone
     * onto 8 coordinate vectors, which uniform row sampling at m = N/4 would mostly miss (SU
     * rank-deficient). With D, HDU is incoherent and the subspace is embedded: singular values in
     * [0.5, 1.5] for every seed.
     */
    @Test
    void theRandomSignsMakeAHadamardAlignedSubspaceIncoherent() {
        int n = 1024;
        int d = 8;
        int m = 256;
        double[][] h = TestMatrices.hadamard(n);
        DenseMatrix ab = new DenseMatrix(n, d + 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                ab.set(i, j, h[i][3 * j + 5] / Math.sqrt(n));
            }
        }
        SketchInput input = new SketchInput(ab);
        for (long seed = 0; seed < 5; seed++) {
            double[] sv = TestMatrices.singularValues(SRHT.apply(input, m, seed).leftColumns(d));
            assertTrue(sv[d - 1] >= 0.5 && sv[0] <= 1.5, "seed " + seed + ": singular values in [" + sv[d - 1] + ", " + sv[0] + "]");
        }
    }

    @Test
    void keepingAllNRowsIsAnExactIsometry() {
        // m = N: P keeps every row, so SᵀS = (1/N)·D Hᵀ H D = I on the first n coordinates
        int n = 100;
        DenseMatrix s = TestMatrices.sketchMatrix(SRHT, n, 128, 3);
        DenseMatrix sts = TestMatrices.multiply(TestMatrices.transpose(s), s);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1.0 : 0.0, sts.get(i, j), 1e-12, "(SᵀS)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void onAPowerOfTwoNThereIsNoPaddingAndRowsAreOrthonormal() {
        // n = N = 64, m = 16: S Sᵀ = (1/m)·P H D D Hᵀ Pᵀ = (N/m)·I_m
        DenseMatrix s = TestMatrices.sketchMatrix(SRHT, 64, 16, 8);
        DenseMatrix sst = TestMatrices.multiply(s, TestMatrices.transpose(s));
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                assertEquals(i == j ? 64.0 / 16 : 0.0, sst.get(i, j), 1e-12);
            }
        }
    }

    @Test
    void moreRowsThanThePaddedOrderAreRejected() {
        DenseMatrix ab = TestMatrices.gaussian(100, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SRHT.apply(ab, 129, 1));
        assertEquals("SRHT samples m = 129 distinct rows of N = 128: m must be at most N", e.getMessage());
    }

    @Test
    void distinctSamplingIsUniformAndWithoutReplacement() {
        // Floyd's algorithm: m distinct indices; each index is chosen with probability m/n.
        int n = 40;
        int m = 10;
        int trials = 4000;
        int[] counts = new int[n];
        SplittableRandom random = new SplittableRandom(12);
        for (int t = 0; t < trials; t++) {
            int[] picks = Sampling.distinct(n, m, random);
            Set<Integer> seen = new HashSet<>();
            for (int p : picks) {
                assertTrue(p >= 0 && p < n);
                assertTrue(seen.add(p), "index " + p + " drawn twice");
                counts[p]++;
            }
        }
        // each count ~ Binomial(4000, 1/4): mean 1000, sd sqrt(4000·1/4·3/4) ≈ 27.4; allow 4.5 sd
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(counts[i] - 1000) < 4.5 * 27.4, "index " + i + " chosen " + counts[i] + " times");
        }
        // m = n returns a permutation of everything
        assertEquals(n, new HashSet<>(java.util.Arrays.stream(Sampling.distinct(n, n, random)).boxed().toList()).size());
    }

    /**
     * On Count-Sketch's hard instance A = [I_d; 0] the random signs D only flip columns, so H·D·A is
     * the first d Walsh columns, whose rows repeat with period d: S·A has rank = the number of
     * residues (row mod d) among the m sampled rows. At m = 4d some residue is often missed
     * (coupon collector), and SA is then exactly rank-deficient. The rate must match the exact
     * probability; a full-rank draw has a small coordinate error.
     */
    @Test
    void onTheCountSketchHardInstanceRankDependsOnTheSampledResiduesModD() {
        int n = 2048;
        int d = 32;
        int m = 128;
        DenseMatrix ab = new CountSketchHardInstance().generate(n, d, 1.0, new SplittableRandom(0));
        SketchInput input = new SketchInput(ab);
        int draws = 300;
        int deficient = 0;
        double worstFinite = 0;
        for (int seed = 0; seed < draws; seed++) {
            DenseMatrix sa = SRHT.apply(input, m, seed);
            Set<String> patterns = new HashSet<>();
            for (int r = 0; r < m; r++) {
                StringBuilder key = new StringBuilder();
                for (int c = 0; c < d; c++) {
                    key.append(sa.get(r, c) > 0 ? '+' : '-');
                }
                patterns.add(key.toString());
            }
            boolean fullRank;
            try {
                LeastSquares.Solution sol = LeastSquares.solve(sa, d);
                fullRank = true;
                for (double x : sol.x()) {
                    worstFinite = Math.max(worstFinite, Math.abs(x));
                }
            } catch (LeastSquares.RankDeficientException e) {
                fullRank = false;
                deficient++;
            }
            assertEquals(patterns.size() == d, fullRank, "seed " + seed + ": " + patterns.size() + " residues");
            assertTrue(patterns.size() <= d);
        }
        double q = 1 - SrhtProbabilities.allResiduesCovered(n, d, m);
        // the formula against a direct simulation of the residues of m distinct rows (20 000 runs: ± 0.0035)
        SplittableRandom random = new SplittableRandom(2024);
        int missed = 0;
        int runs = 20_000;
        for (int t = 0; t < runs; t++) {
            boolean[] seen = new boolean[d];
            int covered = 0;
            for (int p : Sampling.distinct(n, m, random)) {
                if (!seen[p % d]) {
                    seen[p % d] = true;
                    covered++;
                }
            }
            missed += covered < d ? 1 : 0;
        }
        assertEquals(q, missed / (double) runs, 4.5 * Math.sqrt(q * (1 - q) / runs), "coupon-collector probability");
        assertEquals(0.394, q, 0.001);
        double sd = Math.sqrt(q * (1 - q) / draws);
        double rate = deficient / (double) draws;
        assertTrue(Math.abs(rate - q) <= 4 * sd, "rank-deficient rate " + rate + ", expected " + q + " ± " + 4 * sd);
        // x* = 0, ||r|| = ||A†|| = 1: eps_eff = √d·||x'||∞; full-rank draws stay below √d/2
        assertTrue(worstFinite < 0.5, "largest |x'_i| of a full-rank draw: " + worstFinite);
    }

    @Test
    void differentSeedsSampleDifferentRowsAndSigns() {
        DenseMatrix a = TestMatrices.sketchMatrix(SRHT, 100, 32, 1);
        DenseMatrix b = TestMatrices.sketchMatrix(SRHT, 100, 32, 2);
        assertNotEquals(a, b);
    }
}
