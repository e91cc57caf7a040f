package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.adamFirstStep;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.assertClose;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.fcParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.maxAbs;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.minRowDistance;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.minus;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.offset;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.perToken;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.scatter;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.simvqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ablate.quantizers.spi.Assignment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The codebook term's gradient, mean((q − sg(zPre))²), computed outside the graph: against finite
 * differences in double precision, summed over duplicate indices, and — for the updates the
 * quantizers actually apply — against Adam's first step on the analytic gradient.
 *
 * <p>Adam normalises its step, so in the usual regime (|g| ≫ ε̂ = ε/√(1−β₂) ≈ 3.2e-7) a first step
 * only shows sign(g). The "small gradient" checks place tokens within ~1e-6 of their codes so that
 * |g| ≈ ε̂, where the step lr·g/(|g| + ε̂) depends on g's magnitude: a gradient off by 1% moves
 * the step by ≈ 0.5%, far above float rounding.
 */
class CodebookGradientTest {

    private static final double EPS_HAT = QuantizerFixtures.ADAM_EPSILON / Math.sqrt(1 - QuantizerFixtures.ADAM_BETA2);

    /** Central differences of f at x (modified in place and restored). */
    private static double[][] finiteDifference(double[][] x, ToDoubleFunction<double[][]> f, double h) {
        double[][] g = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                double keep = x[i][j];
                x[i][j] = keep + h;
                double up = f.applyAsDouble(x);
                x[i][j] = keep - h;
                double down = f.applyAsDouble(x);
                x[i][j] = keep;
                g[i][j] = (up - down) / (2 * h);
            }
        }
        return g;
    }

    /** mean over tokens and values of (rows[idx_i] − z_i)². */
    private static double codebookTerm(double[][] rows, int[] idx, double[][] z) {
        double s = 0;
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                double t = rows[idx[i]][j] - z[i][j];
                s += t * t;
            }
        }
        return s / (idx.length * z[0].length);
    }

    private static double[][] adamSteps(double[][] g, double lr) {
        double[][] u = new double[g.length][g[0].length];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g[0].length; j++) {
                u[i][j] = adamFirstStep(g[i][j], lr);
            }
        }
        return u;
    }

    @Test
    void adamFirstStepIsLrTimesGOverAbsGPlusEpsilonHat() {
        double lr = 0.01;
        double[] g = {1e-7, -3e-7, 1e-6, 2e-3, -1.0, 0.0};
        float[] gf = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gf[i] = (float) g[i];
        }
        INDArray p = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, g.length);
        AdamStep adam = new AdamStep(p, lr);
        adam.apply(Nd4j.create(gf, new long[] {1, g.length}, 'c'));
        for (int i = 0; i < g.length; i++) {
            double expected = -adamFirstStep(gf[i], lr);
            assertEquals(expected, p.getDouble(0, i), 1e-4 * lr, "step for g = " + g[i]);
        }
        assertEquals(0.0, p.getDouble(0, 5), 0.0, "a zero gradient does not move a fresh parameter");
        // with momentum a coordinate keeps moving after its gradient becomes zero
        adam.apply(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, g.length));
        assertTrue(p.getDouble(0, 4) > 1.5 * lr, "momentum carries the g = −1 coordinate on: " + p.getDouble(0, 4));
        assertEquals(0.0, p.getDouble(0, 5), 0.0);
    }

    @Test
    void vqScatterEqualsFiniteDifferencesOfTheCodebookTerm() {
        int d = 4;
        int k = 8;
        VanillaVq.State vq = (VanillaVq.State) new VanillaVq().create(setup(d, k, 0.25, 1e-2, 21));
        double[][] c = toDouble(vq.codebook());
        INDArray zArr = gaussian(9, d, 0.15, 8);
        double[][] z = toDouble(zArr);
        try (Assignment a = vq.assign(zArr)) {
            int[] idx = a.indices();
            double[][] fd = finiteDifference(c, cb -> codebookTerm(cb, idx, z), 1e-4);
            double[][] got = toDouble(CodebookGradient.scatter(CodebookGradient.perToken(a.quantized(), zArr), idx, k));
            assertTrue(maxAbs(fd) > 1e-3, "a non-trivial gradient");
            assertClose(fd, got, 1e-6 * maxAbs(fd) + 1e-9, "scatter(perToken) vs finite differences");
            // and the value matches the loss
            assertEquals(codebookTerm(c, idx, z), CodebookGradient.value(a.quantized(), zArr), 1e-6);
        }
    }

    @Test
    void duplicateIndicesSumTheirContributionsNotTheLastOne() {
        int d = 4;
        int k = 8;
        double lr = 1e-2;
        VanillaVq.State vq = (VanillaVq.State) new VanillaVq().create(setup(d, k, 0.25, lr, 13));
        double[][] c0 = toDouble(vq.codebook());
        double a = 0.1 * minRowDistance(c0);
        // offsets from code 0: the sum's sign differs from the last token's in the first three values
        double[][] offsets = {
            {a, a, -a, a},
            {a, a, -a, a},
            {-1.5 * a, -1.5 * a, 1.5 * a, 0.5 * a},
            {0.5 * a, -0.5 * a, 0.5 * a, -0.5 * a},
        };
        int[] target = {0, 0, 0, 2};
        double[][] zd = new double[4][d];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < d; j++) {
                zd[i][j] = c0[target[i]][j] + offsets[i][j];
            }
        }
        INDArray z = toFloat(zd);
        try (Assignment as = vq.assign(z)) {
            assertArrayEquals(target, as.indices(), "three tokens pick code 0, one picks code 2");
            double[][] pt = toDouble(CodebookGradient.perToken(as.quantized(), z));
            double[][] g = toDouble(CodebookGradient.scatter(CodebookGradient.perToken(as.quantized(), z), as.indices(), k));
            for (int j = 0; j < d; j++) {
                double sum = pt[0][j] + pt[1][j] + pt[2][j];
                assertEquals(sum, g[0][j], 1e-7 * Math.abs(pt[0][j]) + 1e-12, "code 0 gets the sum, value " + j);
                assertEquals(pt[3][j], g[2][j], 0.0, "code 2 gets its one token");
                if (j < 3) {
                    assertNotEquals(Math.signum(pt[2][j]), Math.signum(sum), "the last token alone points the other way");
                }
            }
            for (int r : new int[] {1, 3, 4, 5, 6, 7}) {
                for (int j = 0; j < d; j++) {
                    assertEquals(0.0, g[r][j], 0.0, "unselected code " + r);
                }
            }
            vq.update(z, as);
            double[][] c1 = toDouble(vq.codebook());
            for (int j = 0; j < d; j++) {
                assertTrue(Math.abs(g[0][j]) > 100 * EPS_HAT, "gradients far above Adam's ε: a sign step");
                // Adam's first step: each coordinate moves by ≈ lr·sign(g), against the gradient
                assertEquals(-lr * Math.signum(g[0][j]), c1[0][j] - c0[0][j], 2e-2 * lr, "code 0, value " + j);
                assertEquals(-lr * Math.signum(g[2][j]), c1[2][j] - c0[2][j], 2e-2 * lr, "code 2, value " + j);
                // and exactly Adam's step on the summed gradient
                assertEquals(-adamFirstStep(g[0][j], lr), c1[0][j] - c0[0][j], 1e-4 * lr, "code 0, value " + j);
            }
        }
    }

    @Test
    void vqUpdateIsAdamsFirstStepOnTheAnalyticGradient() {
        int d = 4;
        int k = 8;
        double lr = 1e-2;
        VanillaVq.State vq = (VanillaVq.State) new VanillaVq().create(setup(d, k, 0.25, lr, 31));
        double[][] c0 = toDouble(vq.codebook());
        int[] codes = {0, 0, 0, 3, 5, 5};
        INDArray z = offset(c0, codes, 3e-6, 2);
        try (Assignment a = vq.assign(z)) {
            assertArrayEquals(codes, a.indices());
            double[][] g = scatter(perToken(toDouble(a.quantized()), toDouble(z)), codes, k);
            assertSensitive(g);
            vq.update(z, a);
            double[][] moved = minus(c0, toDouble(vq.codebook()));
            assertClose(adamSteps(g, lr), moved, 1e-3 * lr, "codebook step vs Adam on the analytic gradient");
        }
    }

    /** The SimVQ formulas in double: ∂L/∂W = Gᵀ·C[idx], ∂L/∂b = Σ g_i, ∂L/∂C = scatter(G·W), diagonal ∂L/∂w = Σ g_i ⊙ c_i. */
    @Test
    void simvqAnalyticGradientsMatchFiniteDifferences() {
        int d = 4;
        int k = 8;
        Random r = new Random(4);
        double[][] c = random(r, k, d, 0.5);
        double[][] w = random(r, d, d, 0.5);
        double[][] b = random(r, 1, d, 0.5);
        double[][] z = random(r, 7, d, 0.7);
        int[] idx = {2, 2, 5, 0, 2, 7, 5};
        ToDoubleFunction<double[][]> byW = ww -> codebookTerm(effective(c, ww, b, false), idx, z);
        ToDoubleFunction<double[][]> byB = bb -> codebookTerm(effective(c, w, bb, false), idx, z);
        ToDoubleFunction<double[][]> byC = cc -> codebookTerm(effective(cc, w, b, false), idx, z);
        double[][] g = perToken(select(effective(c, w, b, false), idx), z);
        assertClose(finiteDifference(w, byW, 1e-5), gradW(g, select(c, idx), false), 1e-8, "∂L/∂W = Gᵀ·C[idx]");
        assertClose(finiteDifference(b, byB, 1e-5), gradB(g), 1e-8, "∂L/∂b = Σ g_i");
        assertClose(finiteDifference(c, byC, 1e-5), scatter(gTimesW(g, w, false), idx, k), 1e-8, "∂L/∂C = scatter(G·W)");

        double[][] wd = random(r, 1, d, 0.5);
        ToDoubleFunction<double[][]> byWd = ww -> codebookTerm(effective(c, ww, b, true), idx, z);
        ToDoubleFunction<double[][]> byCd = cc -> codebookTerm(effective(cc, wd, b, true), idx, z);
        double[][] gd = perToken(select(effective(c, wd, b, true), idx), z);
        assertClose(finiteDifference(wd, byWd, 1e-5), gradW(gd, select(c, idx), true), 1e-8, "diagonal ∂L/∂w");
        assertClose(finiteDifference(c, byCd, 1e-5), scatter(gTimesW(gd, wd, true), idx, k), 1e-8, "diagonal ∂L/∂C");
    }

    @Test
    void simvqUpdatesAreAdamsFirstStepOnTheAnalyticGradient() {
        for (String w : new String[] {"full", "diagonal"}) {
            for (boolean bias : new boolean[] {true, false}) {
                for (boolean trainC : new boolean[] {false, true}) {
                    checkSimvqStep(w, bias, trainC);
                }
            }
        }
    }

    private void checkSimvqStep(String wKind, boolean bias, boolean trainC) {
        String name = "simvq(w=" + wKind + ", bias=" + bias + ", train_codebook=" + trainC + ")";
        int d = 4;
        int k = 8;
        double lr = 1e-2;
        boolean diagonal = wKind.equals("diagonal");
        SimVq.State s = (SimVq.State) new SimVq(simvqParams(trainC, wKind, bias, "gaussian")).create(setup(d, k, 0.25, lr, 41));
        double[][] c0 = toDouble(s.frozenCodebook());
        double[][] w0 = toDouble(s.weight());
        double[] b0 = GradientSemanticsTest.bias(s);
        double[][] e0 = toDouble(s.effectiveCodebook());
        int[] codes = {1, 1, 4, 6, 6, 6};
        INDArray z = offset(e0, codes, 3e-6, 9);
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(codes, a.indices(), name);
            double[][] g = perToken(toDouble(a.quantized()), toDouble(z));
            double[][] gW = gradW(g, select(c0, codes), diagonal);
            double[][] gB = gradB(g);
            double[][] gC = scatter(gTimesW(g, w0, diagonal), codes, k);
            assertSensitive(gW);
            s.update(z, a);
            assertClose(adamSteps(gW, lr), minus(w0, toDouble(s.weight())), 1e-3 * lr, name + ": W step");
            double[] b1 = GradientSemanticsTest.bias(s);
            double[][] bStep = {new double[d]};
            for (int j = 0; j < d; j++) {
                bStep[0][j] = b0[j] - b1[j];
            }
            assertClose(bias ? adamSteps(gB, lr) : new double[1][d], bStep, 1e-3 * lr, name + ": b step");
            double[][] cStep = minus(c0, toDouble(s.frozenCodebook()));
            assertClose(trainC ? adamSteps(gC, lr) : new double[k][d], cStep, trainC ? 1e-3 * lr : 0.0, name + ": C step");
            // the new effective codebook is recomputed from the new parameters
            double[][] w1 = toDouble(s.weight());
            double[][] c1 = toDouble(s.frozenCodebook());
            double[][] b1m = {b1};
            assertClose(effective(c1, w1, bias ? b1m : new double[1][d], diagonal), toDouble(s.effectiveCodebook()), 1e-6,
                    name + ": E = C·Wᵀ + b after the step");
        }
    }

    @Test
    void factorizedUpdateIsAdamsFirstStepThroughTheNormalisation() {
        int l = 3;
        int k = 8;
        double lr = 1e-2;
        long seed = 51;
        FactorizedVq.State s = (FactorizedVq.State) new FactorizedVq(fcParams(l)).create(setup(16, k, 0.25, lr, seed));
        // the raw codebook is private; its initialisation is reproducible (and checked against decode)
        double[][] raw = toDouble(Codebooks.gaussian(k, l, 1.0, new SplittableRandom(seed)));
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7};
        double[][] hat = normalise(raw);
        assertClose(hat, toDouble(s.decode(all)), 1e-6, "decode = l2-normalised N(0, 1) codebook");
        int[] codes = {2, 2, 5, 7, 7, 7};
        INDArray z = offset(hat, codes, 3e-6, 5);
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(codes, a.indices());
            // ∂L/∂c = (ĝ − ĉ(ĉ·ĝ)) / ||c||, checked against finite differences of L as a function of raw C
            // (in double throughout: float q differs from double ĉ by ~1e-8, 1% of these tiny offsets)
            double[][] zd = toDouble(z);
            double[][] fd = finiteDifference(raw, cc -> codebookTerm(normalise(cc), codes, zd), 1e-6);
            double[][] exact = throughNormalisation(raw, scatter(perToken(select(hat, codes), zd), codes, k));
            assertClose(fd, exact, 1e-5 * maxAbs(exact), "∂L/∂C through the normalisation vs finite differences");
            // what the quantizer sees: its float q
            double[][] grad = throughNormalisation(raw, scatter(perToken(toDouble(a.quantized()), zd), codes, k));
            assertSensitive(grad);
            s.update(z, a);
            double[][] expectedRaw = minus(raw, adamSteps(grad, lr));
            assertClose(normalise(expectedRaw), toDouble(s.decode(all)), 2e-6, "codes after one Adam step");
            assertEquals(3, s.rowsChanged());
        }
    }

    private static double[][] throughNormalisation(double[][] raw, double[][] gHat) {
        double[][] hat = normalise(raw);
        double[][] grad = new double[raw.length][raw[0].length];
        for (int r = 0; r < raw.length; r++) {
            double norm = Math.sqrt(dot(raw[r], raw[r]));
            double radial = dot(hat[r], gHat[r]);
            for (int j = 0; j < raw[0].length; j++) {
                grad[r][j] = (gHat[r][j] - hat[r][j] * radial) / norm;
            }
        }
        return grad;
    }

    /** Some coordinates must have |g| within a factor 10 of Adam's ε̂, or the step does not see magnitudes. */
    private static void assertSensitive(double[][] g) {
        int sensitive = 0;
        for (double[] row : g) {
            for (double v : row) {
                if (v != 0 && Math.abs(v) < 10 * EPS_HAT && Math.abs(v) > 0.1 * EPS_HAT) {
                    sensitive++;
                }
            }
        }
        assertTrue(sensitive >= 3, "the small-gradient regime needs |g| ≈ " + EPS_HAT + "; got " + java.util.Arrays.deepToString(g));
    }

    static double[][] effective(double[][] c, double[][] w, double[][] b, boolean diagonal) {
        int k = c.length;
        int d = c[0].length;
        double[][] e = new double[k][d];
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < d; j++) {
                double v = b[0][j];
                if (diagonal) {
                    v += c[r][j] * w[0][j];
                } else {
                    for (int t = 0; t < d; t++) {
                        v += c[r][t] * w[j][t];
                    }
                }
                e[r][j] = v;
            }
        }
        return e;
    }

    private static double[][] gradW(double[][] g, double[][] cSel, boolean diagonal) {
        int d = g[0].length;
        double[][] out = new double[diagonal ? 1 : d][d];
        for (int i = 0; i < g.length; i++) {
            for (int row = 0; row < d; row++) {
                if (diagonal) {
                    out[0][row] += g[i][row] * cSel[i][row];
                } else {
                    for (int col = 0; col < d; col++) {
                        out[row][col] += g[i][row] * cSel[i][col];
                    }
                }
            }
        }
        return out;
    }

    private static double[][] gradB(double[][] g) {
        double[][] out = new double[1][g[0].length];
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                out[0][j] += row[j];
            }
        }
        return out;
    }

    /** Row i: ∂L/∂c for token i's code, Wᵀ g_i (diagonal: g_i ⊙ w). */
    private static double[][] gTimesW(double[][] g, double[][] w, boolean diagonal) {
        int d = g[0].length;
        double[][] out = new double[g.length][d];
        for (int i = 0; i < g.length; i++) {
            for (int col = 0; col < d; col++) {
                if (diagonal) {
                    out[i][col] = g[i][col] * w[0][col];
                } else {
                    for (int row = 0; row < d; row++) {
                        out[i][col] += g[i][row] * w[row][col];
                    }
                }
            }
        }
        return out;
    }

    private static double[][] select(double[][] rows, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = rows[idx[i]].clone();
        }
        return out;
    }

    private static double[][] random(Random r, int n, int d, double std) {
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = r.nextGaussian() * std;
            }
        }
        return out;
    }

    private static double[][] normalise(double[][] c) {
        double[][] out = new double[c.length][c[0].length];
        for (int r = 0; r < c.length; r++) {
            double norm = Math.sqrt(dot(c[r], c[r])) + 1e-12;
            for (int j = 0; j < c[0].length; j++) {
                out[r][j] = c[r][j] / norm;
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
