package org.ablate.sketches.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.LeastSquares;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.spi.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The instance families generate what they promise: r ⟂ col(A), ||r|| = noise·||Ax*||, and their structure. */
class InstancesTest {


    /** Each family with its schema's defaults, as the tasks would pass them. */
    static Stream<Arguments> generalFamilies() {
        return Stream.of(
                Arguments.of("gaussian", new GaussianInstance()),
                Arguments.of("coherent", new CoherentInstance(new Parameters(Map.of("spikes", 4L, "scale", 100.0)))),
                Arguments.of("heavy-tailed", new HeavyTailedInstance(new Parameters(Map.of("dof", 2.0)))),
                Arguments.of("ill-conditioned", new IllConditionedInstance(new Parameters(Map.of("kappa", 1e6)))));
    }

    static Stream<Arguments> allFamilies() {
        return Stream.concat(generalFamilies(), Stream.of(
                Arguments.of("countsketch-hard", new CountSketchHardInstance()),
                Arguments.of("sampling-hard", new SamplingHardInstance())));
    }

    /** r = b − A x* for the exact least-squares x*. */
    private static double[] residual(DenseMatrix ab, double[] x) {
        int d = ab.cols() - 1;
        double[] r = new double[ab.rows()];
        for (int i = 0; i < ab.rows(); i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += ab.get(i, j) * x[j];
            }
            r[i] = ab.get(i, d) - s;
        }
        return r;
    }

    private static double[] ax(DenseMatrix ab, double[] x) {
        double[] r = residual(ab, x);
        double[] out = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = ab.get(i, ab.cols() - 1) - r[i];
        }
        return out;
    }

    /** max_j |a_jᵀ r| / (||a_j|| ||r||): 0 when r ⟂ col(A). */
    private static double orthogonality(DenseMatrix ab, double[] r) {
        int d = ab.cols() - 1;
        double worst = 0;
        for (int j = 0; j < d; j++) {
            double[] a = ab.column(j);
            worst = Math.max(worst, Math.abs(TestMatrices.dot(a, r)) / (TestMatrices.norm(a) * TestMatrices.norm(r)));
        }
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generalFamilies")
    void theResidualIsOrthogonalToTheColumnsAndHasTheRequestedSize(String name, RegressionInstance family) {
        int n = 400;
        int d = 6;
        for (double noise : new double[] {0.5, 3.0}) {
            DenseMatrix ab = family.generate(n, d, noise, new SplittableRandom(42));
            assertEquals(n, ab.rows());
            assertEquals(d + 1, ab.cols());
            assertTrue(ab.allFinite());
            LeastSquares.Solution exact = LeastSquares.solve(ab, d);
            double[] r = residual(ab, exact.x());
            // b = A x0 + r with r ⟂ col(A), so the least-squares residual is r itself: Aᵀr = 0
            assertTrue(orthogonality(ab, r) < 1e-10, name + ": Aᵀr / (||a_j|| ||r||) = " + orthogonality(ab, r));
            // ||r|| / ||A x*|| = noise (x* = x0), and the solver's residual norm is ||r||
            double ratio = TestMatrices.norm(r) / TestMatrices.norm(ax(ab, exact.x()));
            assertEquals(noise, ratio, 1e-9 * noise, name + ": ||r|| / ||Ax*||");
            assertEquals(TestMatrices.norm(r), exact.residualNorm(), 1e-9 * TestMatrices.norm(r));
        }
    }

    @Test
    void illConditionedHasGeometricSingularValuesFromOneDownToOneOverKappa() {
        int n = 300;
        int d = 7;
        for (double kappa : new double[] {1e3, 1e6}) {
            DenseMatrix ab = new IllConditionedInstance(new Parameters(Map.of("kappa", kappa))).generate(n, d, 0.5, new SplittableRandom(3));
            LeastSquares.Solution s = LeastSquares.solve(ab, d);
            assertEquals(kappa, s.sigmaMax() / s.sigmaMin(), 1e-6 * kappa, "condition number");
            assertEquals(1.0, s.sigmaMax(), 1e-9);
            double[] sv = TestMatrices.singularValues(ab.leftColumns(d));
            for (int i = 0; i < d; i++) {
                double expected = Math.pow(kappa, -(double) i / (d - 1));
                assertEquals(expected, sv[i], 1e-6 * expected, "sigma_" + i);
            }
        }
    }

    @Test
    void coherentRowsCarryAlmostAllTheLeverage() {
        int n = 512;
        int d = 8;
        DenseMatrix ab = new CoherentInstance(new Parameters(Map.of("spikes", 4L, "scale", 100.0))).generate(n, d, 0.5, new SplittableRandom(11));
        double[] scores = LeastSquares.leverageScores(ab, d);
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        // a row scaled by 100 among n Gaussian rows: ℓ ≈ 1 − 1/(1 + 100²·d/n) ≈ 0.994
        for (int k = 1; k <= 4; k++) {
            assertTrue(sorted[n - k] > 0.95, "spiked row " + k + " has leverage " + sorted[n - k]);
        }
        // the rest share the remaining ≈ d − 4: each about (d − 4)/n ≈ 0.008, none near 1
        assertTrue(sorted[n - 5] < 0.1, "5th largest leverage " + sorted[n - 5]);
        assertEquals(d, Arrays.stream(scores).sum(), 1e-9);
        // the spiked rows are the ones with ~100x the norm
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = TestMatrices.norm(Arrays.copyOfRange(ab.data(), i * (d + 1), i * (d + 1) + d));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(norms[i] > 30 * Math.sqrt(d), scores[i] > 0.5, "row " + i);
        }
    }

    @Test
    void coherentRejectsMoreSpikesThanRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CoherentInstance(new Parameters(Map.of("spikes", 11L, "scale", 100.0)))
                .generate(10, 2, 0.5, new SplittableRandom(1)));
        assertEquals("coherent instance: spikes = 11 exceeds n = 10", e.getMessage());
    }

    @Test
    void heavyTailedRowNormsAreFarMoreSpreadThanGaussianOnes() {
        // Student-t rows with ν = 2: the row scale √(ν/χ²_ν) exceeds t with probability ≈ 1/t², so the
        // largest of 400 is typically ~20x the median; P(max < 5x median) ≈ (1 − 1/25)^400 ≈ 1e-7.
        // Gaussian rows in d = 6: max/median ≈ (√6 + 3)/√6 ≈ 2.
        int n = 400;
        int d = 6;
        double heavy = maxOverMedianRowNorm(new HeavyTailedInstance(new Parameters(Map.of("dof", 2.0))).generate(n, d, 0.5, new SplittableRandom(5)), d);
        double gauss = maxOverMedianRowNorm(new GaussianInstance().generate(n, d, 0.5, new SplittableRandom(5)), d);
        assertTrue(heavy > 5, "heavy-tailed max/median row norm " + heavy);
        assertTrue(gauss < 3, "Gaussian max/median row norm " + gauss);
        // lighter tails with many degrees of freedom
        double light = maxOverMedianRowNorm(new HeavyTailedInstance(new Parameters(Map.of("dof", 1000.0))).generate(n, d, 0.5, new SplittableRandom(5)), d);
        assertTrue(light < 3, "nu = 1000 max/median row norm " + light);
    }

    private static double maxOverMedianRowNorm(DenseMatrix ab, int d) {
        double[] norms = new double[ab.rows()];
        for (int i = 0; i < ab.rows(); i++) {
            norms[i] = TestMatrices.norm(Arrays.copyOfRange(ab.data(), i * (d + 1), i * (d + 1) + d));
        }
        Arrays.sort(norms);
        return norms[norms.length - 1] / norms[norms.length / 2];
    }

    @Test
    void countSketchHardIsExactlyIdentityOverZeroWithTheLastUnitVector() {
        int n = 20;
        int d = 5;
        DenseMatrix ab = new CountSketchHardInstance().generate(n, d, 0.5, new SplittableRandom(1));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(i == j ? 1.0 : 0.0, ab.get(i, j), 0.0);
            }
            assertEquals(i == n - 1 ? 1.0 : 0.0, ab.get(i, d), 0.0);
        }
        // independent of the seed and of the noise level
        assertEquals(ab, new CountSketchHardInstance().generate(n, d, 7.0, new SplittableRandom(99)));
        // x* = 0, ||Ax* − b|| = 1 = ||A†||
        LeastSquares.Solution s = LeastSquares.solve(ab, d);
        for (double x : s.x()) {
            assertEquals(0.0, x, 1e-15);
        }
        assertEquals(1.0, s.residualNorm(), 1e-15);
        assertEquals(1.0, s.sigmaMin(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CountSketchHardInstance().generate(5, 5, 1, new SplittableRandom(1)));
        assertTrue(e.getMessage().startsWith("countsketch-hard needs n > d"), e.getMessage());
    }

    @Test
    void samplingHardIsStackedIdentitiesWithOneResidualSpike() {
        int d = 4;
        for (int n : new int[] {64, 2 * d + 3}) {   // d | n, and uneven copies (3 of rows 0..2, 2 of row 3)
            double noise = 0.5;
            DenseMatrix ab = new SamplingHardInstance().generate(n, d, noise, new SplittableRandom(8));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(i % d == j ? 1.0 : 0.0, ab.get(i, j), 0.0);
                }
            }
            LeastSquares.Solution exact = LeastSquares.solve(ab, d);
            double[] r = residual(ab, exact.x());
            assertTrue(orthogonality(ab, r) < 1e-12, "Aᵀr = " + orthogonality(ab, r));
            // one dominant entry: the spike size·(1 − 1/copies) against size/copies on its other copies, 0 elsewhere
            int spike = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(r[i]) > Math.abs(r[spike])) {
                    spike = i;
                }
            }
            int copies = n / d + (spike % d < n % d ? 1 : 0);
            for (int i = 0; i < n; i++) {
                if (i == spike) {
                    continue;
                }
                double expected = i % d == spike % d ? Math.abs(r[spike]) / (copies - 1) : 0.0;
                assertEquals(expected, Math.abs(r[i]), 1e-12 * Math.abs(r[spike]), "r[" + i + "], spike at " + spike);
            }
            // the projected spike is rescaled so that ||r|| = noise·||A x*||, as documented
            double ratio = TestMatrices.norm(r) / TestMatrices.norm(ax(ab, exact.x()));
            assertEquals(noise, ratio, 1e-9, "n = " + n);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SamplingHardInstance().generate(7, 4, 1, new SplittableRandom(1)));
        assertTrue(e.getMessage().startsWith("sampling-hard needs at least two copies of I_d"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFamilies")
    void everyFamilyIsDeterministicForASeed(String name, RegressionInstance family) {
        DenseMatrix a = family.generate(200, 5, 0.5, new SplittableRandom(17));
        DenseMatrix b = family.generate(200, 5, 0.5, new SplittableRandom(17));
        assertTrue(Arrays.equals(a.data(), b.data()), name + ": same seed, different instance");
        DenseMatrix c = family.generate(200, 5, 0.5, new SplittableRandom(18));
        if (name.equals("countsketch-hard")) {
            assertEquals(a, c); // deterministic by construction
        } else {
            assertFalse(Arrays.equals(a.data(), c.data()), name + ": seeds 17 and 18 gave the same instance");
        }
    }
}
