package org.ablate.sketches.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.instance.CoherentInstance;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Parameters;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The entries of S, read off S·[I | e_1], have exactly the distribution each family promises. */
class SketchEntriesTest {

    private static final Map<String, TestMatrices.Family> F = TestMatrices.families();

    @Test
    void rademacherEntriesAreExactlyPlusOrMinusOneOverRootMAndBalanced() {
        int n = 300;
        int m = 50;
        DenseMatrix s = TestMatrices.sketchMatrix(F.get("rademacher"), n, m, 4);
        double entry = 1.0 / Math.sqrt(m);
        int positive = 0;
        double lag1 = 0;
        double[] v = s.data();
        for (int i = 0; i < v.length; i++) {
            assertEquals(entry, Math.abs(v[i]), 0.0, "entry " + i);
            positive += v[i] > 0 ? 1 : 0;
            if (i > 0) {
                lag1 += Math.signum(v[i]) * Math.signum(v[i - 1]);
            }
        }
        // N = 15000 fair signs: #positive = 7500 ± sqrt(N)/2 ≈ 61; neighbouring signs uncorrelated
        // (mean of products 0 ± 1/sqrt(N)); 4.5 sd each. Catches reused or stuck bits of the 64-bit words.
        int total = v.length;
        assertTrue(Math.abs(positive - total / 2.0) <= 4.5 * Math.sqrt(total) / 2, positive + " positive of " + total);
        assertTrue(Math.abs(lag1 / (total - 1)) <= 4.5 / Math.sqrt(total), "lag-1 sign correlation " + lag1 / (total - 1));
    }

    @Test
    void gaussianEntriesHaveMeanZeroVarianceOneOverMAndGaussianKurtosis() {
        int n = 2000;
        int m = 50;
        DenseMatrix s = TestMatrices.sketchMatrix(F.get("gaussian"), n, m, 6);
        double[] v = s.data();
        int count = v.length; // 100 000 entries
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = 0;
        double fourth = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
            fourth += Math.pow(x - mean, 4);
        }
        var /= count - 1;
        fourth /= count;
        double sigma2 = 1.0 / m;
        // mean ~ N(0, σ²/N); (N−1)·var/σ² ~ χ²_{N−1}, so var/σ² = 1 ± sqrt(2/N) ≈ 0.0045;
        // kurtosis 3 ± sqrt(24/N) ≈ 0.015 (a Rademacher or uniform S would give 1 or 1.8). 5 sd each.
        assertEquals(0.0, mean, 5 * Math.sqrt(sigma2 / count));
        assertEquals(1.0, var / sigma2, 5 * Math.sqrt(2.0 / count), "sample variance · m");
        assertEquals(3.0, fourth / (var * var), 5 * Math.sqrt(24.0 / count), "kurtosis");
        // no two columns of S repeat (independent streams per block and part)
        assertTrue(Arrays.stream(v).distinct().count() == count, "repeated Gaussian values");
    }

    @Test
    void countSketchColumnsHaveExactlyOnePlusOrMinusOneAtAUniformBucket() {
        int n = 1024;
        int m = 32;
        DenseMatrix s = TestMatrices.sketchMatrix(F.get("countsketch"), n, m, 10);
        int[] buckets = new int[m];
        int positive = 0;
        for (int c = 0; c < n; c++) {
            int nonzero = 0;
            for (int r = 0; r < m; r++) {
                double x = s.get(r, c);
                if (x != 0) {
                    assertEquals(1.0, Math.abs(x), 0.0);
                    nonzero++;
                    buckets[r]++;
                    positive += x > 0 ? 1 : 0;
                }
            }
            assertEquals(1, nonzero, "column " + c);
        }
        assertChiSquareUniform(buckets, n);
        // signs: 512 ± 16, 4.5 sd
        assertTrue(Math.abs(positive - n / 2.0) <= 4.5 * Math.sqrt(n) / 2, positive + " positive of " + n);
    }

    @Test
    void osnapColumnsHaveOnePlusOrMinusOneOverRootSInEachOfSBlocks() {
        int n = 1024;
        int s = 4;
        for (int m : new int[] {100, 103}) {
            // blocks of m / s rows; the last takes the remainder: 25,25,25,25 or 25,25,25,28
            int[] starts = {0, 25, 50, 75, m};
            DenseMatrix sk = TestMatrices.sketchMatrix(F.get("osnap"), n, m, 12);
            int[] lastBlockCounts = new int[m - 75];
            for (int c = 0; c < n; c++) {
                for (int b = 0; b < s; b++) {
                    int nonzero = 0;
                    for (int r = starts[b]; r < starts[b + 1]; r++) {
                        double x = sk.get(r, c);
                        if (x != 0) {
                            assertEquals(0.5, Math.abs(x), 0.0, "1/sqrt(s)");
                            nonzero++;
                            if (b == s - 1) {
                                lastBlockCounts[r - 75]++;
                            }
                        }
                    }
                    assertEquals(1, nonzero, "m = " + m + ", column " + c + ", block " + b);
                }
            }
            // the last, possibly larger, block is hashed uniformly over all its rows
            assertChiSquareUniform(lastBlockCounts, n);
        }
    }

    @Test
    void osnapWithOneNonzeroIsCountSketchAndTooManyNonzerosAreRejected() {
        DenseMatrix ab = TestMatrices.gaussian(200, 3, 1);
        DenseMatrix cs = F.get("countsketch").apply(ab, 20, 33);
        DenseMatrix os = new OsnapSketch(new Parameters(Map.of("s", 1L))).apply(new SketchInput(ab), 20, 33);
        assertTrue(Arrays.equals(cs.data(), os.data()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OsnapSketch(new Parameters(Map.of("s", 8L))).apply(new SketchInput(ab), 5, 1));
        assertEquals("s = 8 nonzeros per column need m >= s, got m = 5", e.getMessage());
    }

    /** Counts of {@code draws} uniform draws over k cells: χ² (k − 1 dof) below its mean + 5 sd. */
    private static void assertChiSquareUniform(int[] counts, int draws) {
        int k = counts.length;
        double expected = draws / (double) k;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        double bound = (k - 1) + 5 * Math.sqrt(2.0 * (k - 1));
        assertTrue(chi2 < bound, "chi-square " + chi2 + " over " + k + " cells (bound " + bound + "): " + Arrays.toString(counts));
    }

    /**
     * For each output row j of a row-sampling sketch, the input row i it is a multiple of (the last
     * column b = i + 1 makes i unique), checking every column; weights[j] receives the multiplier.
     */
    private static int[] sampledRows(DenseMatrix ab, DenseMatrix out, double[] weights) {
        int d = ab.cols() - 1;
        int[] rows = new int[out.rows()];
        for (int j = 0; j < out.rows(); j++) {
            int i = findRow(out, ab, j);
            rows[j] = i;
            weights[j] = out.get(j, d) / (i + 1);
            for (int c = 0; c < d; c++) {
                assertEquals(weights[j] * ab.get(i, c), out.get(j, c), 1e-12 * Math.abs(weights[j]) * (1 + Math.abs(ab.get(i, c))),
                        "output row " + j + " is not a multiple of input row " + i);
            }
        }
        return rows;
    }

    private static int findRow(DenseMatrix out, DenseMatrix ab, int j) {
        int d = ab.cols() - 1;
        for (int i = 0; i < ab.rows(); i++) {
            double w = out.get(j, d) / (i + 1);
            if (w > 0 && Math.abs(w * ab.get(i, 0) - out.get(j, 0)) <= 1e-12 * Math.abs(out.get(j, 0))
                    && Math.abs(w * ab.get(i, 1) - out.get(j, 1)) <= 1e-12 * Math.abs(out.get(j, 1))) {
                return i;
            }
        }
        throw new AssertionError("output row " + j + " is no positive multiple of any input row");
    }

    @Test
    void uniformSamplingKeepsRowsScaledByRootNOverM() {
        int n = 500;
        int m = 200;
        DenseMatrix ab = withIndexColumn(TestMatrices.gaussian(n, 4, 2));
        double[] w = new double[m];
        int[] rows = sampledRows(ab, F.get("uniform").apply(ab, m, 3), w);
        for (int j = 0; j < m; j++) {
            assertEquals(Math.sqrt((double) n / m), w[j], 1e-12, "weight of output row " + j);
        }
        assertTrue(Arrays.stream(rows).distinct().count() > 100, "rows are drawn all over [0, n)");
    }

    @Test
    void leverageSamplingDrawsRowsByTheirLeverageScoresAndWeightsThem() {
        // coherent instance: 4 rows scaled by 100 carry almost all of d = 8's leverage
        int n = 512;
        int d = 8;
        DenseMatrix ab = new CoherentInstance(new Parameters(Map.of("spikes", 4L, "scale", 100.0))).generate(n, d, 0.5, new SplittableRandom(7));
        ab = withIndexColumn(ab.leftColumns(d));
        double[] leverage = referenceLeverage(ab, d);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(leverage[y], leverage[x]));
        boolean[] spike = new boolean[n];
        double spikeMass = 0;
        for (int k = 0; k < 4; k++) {
            spike[order[k]] = true;
            spikeMass += leverage[order[k]] / d;
        }
        assertTrue(spikeMass > 0.45, "the spikes' sampling probability " + spikeMass);

        SketchInput input = new SketchInput(ab);
        int m = 200;
        int hits = 0;
        int draws = 0;
        for (long seed = 0; seed < 10; seed++) {
            double[] w = new double[m];
            int[] rows = sampledRows(ab, F.get("leverage").apply(input, m, seed), w);
            for (int j = 0; j < m; j++) {
                // weight 1/sqrt(m p_i), p_i = ℓ_i / d
                assertEquals(1 / Math.sqrt(m * leverage[rows[j]] / d), w[j], 1e-9 * w[j], "weight of row " + rows[j]);
                hits += spike[rows[j]] ? 1 : 0;
                draws++;
            }
        }
        // Binomial(2000, spikeMass): the fraction is spikeMass ± sqrt(p(1−p)/2000) ≈ 0.011; 4.5 sd
        double fraction = hits / (double) draws;
        double sd = Math.sqrt(spikeMass * (1 - spikeMass) / draws);
        assertTrue(Math.abs(fraction - spikeMass) <= 4.5 * sd, "spike rows drawn " + fraction + " of the time, expected " + spikeMass);
    }

    /** ab with its last column replaced by the row index + 1. */
    private static DenseMatrix withIndexColumn(DenseMatrix a) {
        DenseMatrix ab = TestMatrices.hstack(a, new DenseMatrix(a.rows(), 1));
        for (int i = 0; i < a.rows(); i++) {
            ab.set(i, a.cols(), i + 1);
        }
        return ab;
    }

    /** Leverage scores from Commons Math's QR: ℓ_i = ||Q_i,1..d||². */
    private static double[] referenceLeverage(DenseMatrix ab, int d) {
        RealMatrix a = new Array2DRowRealMatrix(ab.rows(), d);
        for (int i = 0; i < ab.rows(); i++) {
            for (int j = 0; j < d; j++) {
                a.setEntry(i, j, ab.get(i, j));
            }
        }
        RealMatrix q = new QRDecomposition(a).getQ();
        double[] out = new double[ab.rows()];
        for (int i = 0; i < ab.rows(); i++) {
            for (int j = 0; j < d; j++) {
                out[i] += q.getEntry(i, j) * q.getEntry(i, j);
            }
        }
        return out;
    }
}
