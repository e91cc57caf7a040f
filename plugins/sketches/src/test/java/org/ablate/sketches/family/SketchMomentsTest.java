package org.ablate.sketches.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** E[SᵀS] = I (unbiasedness, the premise of the OCE property) and the subspace embedding property, per family. */
class SketchMomentsTest {

    static Stream<TestMatrices.Family> families() {
        return TestMatrices.families().values().stream();
    }

    /**
     * For fixed unit g ⟂ h (n = 512), gᵀSᵀSh averages to gᵀh = 0 and gᵀSᵀSg = ||Sg||² to 1 over
     * independent seeds. Per seed the value has variance O(1/m) (e.g. (1 + (gᵀh)²)/m for Gaussian
     * S), so with m = 64 and 600 seeds the standard error is about 0.005-0.01; the tolerance is
     * 4.5 standard errors estimated from the sample (a two-sided miss has probability below 1e-5).
     * A wrong scale (e.g. 1/m instead of 1/√m, or √2 off) or a biased construction fails.
     *
     * The input is [B | g | h] with B Gaussian (n × 6), so leverage sampling sees a sensible A
     * ([B | g]); E[SᵀS] = I holds for any positive sampling probabilities.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void sTransposeSIsTheIdentityInExpectation(TestMatrices.Family family) {
        int n = 512;
        int m = 64;
        int seeds = 600;
        double[] g = TestMatrices.gaussian(n, 1, 1001).data();
        double[] h = TestMatrices.gaussian(n, 1, 1002).data();
        double gg = TestMatrices.norm(g);
        for (int i = 0; i < n; i++) {
            g[i] /= gg;
        }
        double gh = TestMatrices.dot(g, h);
        for (int i = 0; i < n; i++) {
            h[i] -= gh * g[i];
        }
        double hh = TestMatrices.norm(h);
        for (int i = 0; i < n; i++) {
            h[i] /= hh;
        }
        assertEquals(0.0, TestMatrices.dot(g, h), 1e-14);

        DenseMatrix ab = TestMatrices.hstack(TestMatrices.gaussian(n, 6, 1003),
                TestMatrices.hstack(new DenseMatrix(g, n, 1), new DenseMatrix(h, n, 1)));
        SketchInput input = new SketchInput(ab);
        double[] cross = new double[seeds];
        double[] square = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            DenseMatrix sm = family.apply(input, m, 7_000 + seed);
            double[] sg = sm.column(6);
            double[] sh = sm.column(7);
            cross[seed] = TestMatrices.dot(sg, sh);
            square[seed] = TestMatrices.dot(sg, sg);
        }
        assertWithinStandardErrors(family + ": g^T S^T S h (g ⟂ h)", cross, 0.0, 4.5);
        assertWithinStandardErrors(family + ": ||S g||^2", square, 1.0, 4.5);
    }

    private static void assertWithinStandardErrors(String what, double[] sample, double expected, double k) {
        double mean = 0;
        for (double v : sample) {
            mean += v;
        }
        mean /= sample.length;
        double var = 0;
        for (double v : sample) {
            var += (v - mean) * (v - mean);
        }
        var /= sample.length - 1;
        double se = Math.sqrt(var / sample.length);
        assertTrue(se > 0, what + ": no spread at all over seeds");
        assertTrue(Math.abs(mean - expected) <= k * se,
                String.format("%s: mean %.5f, expected %.5f ± %.1f·%.5f", what, mean, expected, k, se));
    }

    static Stream<Arguments> embeddings() {
        // (family, m): generous m so that ||SᵀS − I|| on an 8-dimensional subspace is well below 1/2
        return Stream.of(
                Arguments.of("gaussian", 512), Arguments.of("rademacher", 512), Arguments.of("srht", 512),
                Arguments.of("osnap", 512), Arguments.of("countsketch", 1024),
                Arguments.of("leverage", 1024), Arguments.of("uniform", 1024));
    }

    /**
     * A random orthonormal U (n = 2048, d = 8; an incoherent, Gaussian-like subspace, so uniform
     * sampling works too): every singular value of SU is within [0.5, 1.5] for 3 seeds. For the
     * dense families the deviation is about √(d/m) ≈ 0.13, so they also meet the tighter
     * [1 − 3√(d/m), 1 + 3√(d/m)].
     */
    @ParameterizedTest(name = "{0}, m = {1}")
    @MethodSource("embeddings")
    void aRandomSubspaceIsEmbeddedWithSmallDistortion(String name, int m) {
        TestMatrices.Family family = TestMatrices.families().get(name);
        int n = 2048;
        int d = 8;
        DenseMatrix u = TestMatrices.orthonormal(n, d, 77);
        SketchInput input = new SketchInput(TestMatrices.hstack(u, TestMatrices.gaussian(n, 1, 78)));
        boolean dense = family.sketch().dense();
        double tight = 3 * Math.sqrt((double) d / m);
        for (long seed = 1; seed <= 3; seed++) {
            double[] sv = TestMatrices.singularValues(family.apply(input, m, seed).leftColumns(d));
            double lo = sv[d - 1];
            double hi = sv[0];
            assertTrue(lo >= 0.5 && hi <= 1.5, name + " seed " + seed + ": singular values in [" + lo + ", " + hi + "]");
            if (dense) {
                assertTrue(lo >= 1 - tight && hi <= 1 + tight,
                        name + " seed " + seed + ": singular values in [" + lo + ", " + hi + "], beyond 1 ± " + tight);
            }
        }
    }
}
