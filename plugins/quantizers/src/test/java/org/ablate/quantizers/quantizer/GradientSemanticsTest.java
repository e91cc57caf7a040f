package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.near;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.rows;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.simvqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.ablate.quantizers.spi.Assignment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SimVQ paper's claim 1 on a tiny case (d = 4, K = 8): a vanilla VQ update changes only the
 * selected codes; a SimVQ update never touches the frozen C, moves W and b, and so every effective code.
 */
class GradientSemanticsTest {

    private static final int D = 4;
    private static final int K = 8;
    private static final double LR = 1e-2;

    private static Set<Integer> set(int[] idx) {
        Set<Integer> s = new TreeSet<>();
        for (int i : idx) {
            s.add(i);
        }
        return s;
    }

    private static Set<Integer> changedRows(float[][] before, float[][] after) {
        Set<Integer> s = new TreeSet<>();
        for (int r = 0; r < before.length; r++) {
            if (!Arrays.equals(before[r], after[r])) {
                s.add(r);
            }
        }
        return s;
    }

    @Test
    void vqFirstUpdateChangesExactlyTheSelectedRows() {
        VanillaVq.State vq = (VanillaVq.State) new VanillaVq().create(setup(D, K, 0.25, LR, 11));
        int[] codes = {1, 1, 4, 6, 6, 6};
        INDArray z = near(toDouble(vq.codebook()), codes, 0.2, 3);
        float[][] before = rows(vq.codebook());
        try (Assignment a = vq.assign(z)) {
            assertArrayEquals(codes, a.indices(), "tokens placed next to codes 1, 1, 4, 6, 6, 6");
            vq.update(z, a);
        }
        float[][] after = rows(vq.codebook());
        assertEquals(Set.of(1, 4, 6), changedRows(before, after), "rows changed by one update");
        assertEquals(3, vq.rowsChanged());
    }

    @Test
    void vqOnRandomTokensChangesTheChosenSetAndNothingElse() {
        VanillaVq.State vq = (VanillaVq.State) new VanillaVq().create(setup(D, K, 0.25, LR, 5));
        INDArray z = gaussian(5, D, 0.1, 17);
        float[][] before = rows(vq.codebook());
        Set<Integer> chosen;
        try (Assignment a = vq.assign(z)) {
            chosen = set(a.indices());
            vq.update(z, a);
        }
        assertTrue(chosen.size() < K, "the check needs some unselected codes: " + chosen);
        assertEquals(chosen, changedRows(before, rows(vq.codebook())));
        assertEquals(chosen.size(), vq.rowsChanged());
    }

    @Test
    void simvqNeverChangesCButMovesWAndBAndEveryEffectiveCode() {
        SimVq.State s = (SimVq.State) new SimVq(simvqParams(false, "full", true, "gaussian")).create(setup(D, K, 0.25, LR, 7));
        float[] c0 = bits(s.frozenCodebook());
        float[] w0 = bits(s.weight());
        double[] b0 = bias(s);
        for (int step = 0; step < 5; step++) {
            INDArray z = gaussian(6, D, 0.5, 100 + step);
            float[][] e0 = rows(s.effectiveCodebook());
            try (Assignment a = s.assign(z)) {
                assertTrue(set(a.indices()).size() < K, "some codes unselected, or the check is vacuous");
                s.update(z, a);
            }
            float[][] e1 = rows(s.effectiveCodebook());
            assertEquals(K, changedRows(e0, e1).size(), "step " + step + ": every effective code moves");
            assertEquals(K, s.rowsChanged(), "step " + step);
            if (step == 0) {
                double[] b1 = bias(s);
                for (int j = 0; j < D; j++) {
                    // Adam's first step moves each coordinate with a non-negligible gradient by ≈ lr
                    assertEquals(LR, Math.abs(b1[j] - b0[j]), LR * 1e-2, "b[" + j + "] after the first step");
                }
            }
        }
        assertArrayEquals(c0, bits(s.frozenCodebook()), "C is frozen: bit-identical after 5 updates");
        assertFalse(Arrays.equals(w0, bits(s.weight())), "W trains");
        float[] w1 = bits(s.weight());
        for (int i = 0; i < w1.length; i++) {
            assertTrue(w1[i] != w0[i], "every entry of W moved: W[" + i + "]");
        }
    }

    @Test
    void simvqWithoutBiasHasEffectiveCodebookCTimesWTransposed() {
        SimVq.State s = (SimVq.State) new SimVq(simvqParams(false, "full", false, "gaussian")).create(setup(D, K, 0.25, LR, 7));
        INDArray z = gaussian(6, D, 0.5, 1);
        try (Assignment a = s.assign(z)) {
            s.update(z, a);
        }
        for (double v : bias(s)) {
            assertEquals(0.0, v, 1e-6, "no bias: E − C·Wᵀ = 0");
        }
    }

    @Test
    void simvqDiagonalAlsoMovesEveryEffectiveCodeAndKeepsCFrozen() {
        SimVq.State s = (SimVq.State) new SimVq(simvqParams(false, "diagonal", true, "uniform")).create(setup(D, K, 0.25, LR, 9));
        assertArrayEquals(new long[] {1, D}, s.weight().shape(), "a diagonal W is stored as a row");
        float[] c0 = bits(s.frozenCodebook());
        for (int step = 0; step < 3; step++) {
            INDArray z = gaussian(6, D, 0.5, 200 + step);
            float[][] e0 = rows(s.effectiveCodebook());
            try (Assignment a = s.assign(z)) {
                s.update(z, a);
            }
            assertEquals(K, changedRows(e0, rows(s.effectiveCodebook())).size(), "step " + step);
        }
        assertArrayEquals(c0, bits(s.frozenCodebook()));
    }

    @Test
    void simvqWithTrainableCodebookChangesCToo() {
        SimVq.State s = (SimVq.State) new SimVq(simvqParams(true, "full", true, "gaussian")).create(setup(D, K, 0.25, LR, 7));
        float[][] c0 = rows(s.frozenCodebook());
        int[] codes = {0, 0, 3, 5};
        INDArray z = near(toDouble(s.effectiveCodebook()), codes, 0.2, 4);
        float[][] e0 = rows(s.effectiveCodebook());
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(codes, a.indices());
            s.update(z, a);
        }
        // C gets the codebook gradient only in the selected rows (Adam's first step)
        assertEquals(Set.of(0, 3, 5), changedRows(c0, rows(s.frozenCodebook())));
        assertEquals(K, changedRows(e0, rows(s.effectiveCodebook())).size());
        for (int step = 0; step < 3; step++) {
            INDArray more = gaussian(6, D, 0.5, 300 + step);
            try (Assignment a = s.assign(more)) {
                s.update(more, a);
            }
        }
        assertFalse(Arrays.deepEquals(c0, rows(s.frozenCodebook())), "C trains");
    }

    /** b recovered as E − C·Wᵀ (row 0; every row gives the same b up to rounding). */
    static double[] bias(SimVq.State s) {
        double[][] e = toDouble(s.effectiveCodebook());
        double[][] c = toDouble(s.frozenCodebook());
        double[][] w = toDouble(s.weight());
        int d = c[0].length;
        boolean diagonal = w.length == 1;
        double[] b = new double[d];
        for (int j = 0; j < d; j++) {
            double cw = 0;
            if (diagonal) {
                cw = c[0][j] * w[0][j];
            } else {
                for (int t = 0; t < d; t++) {
                    cw += c[0][t] * w[j][t];
                }
            }
            b[j] = e[0][j] - cw;
        }
        return b;
    }
}
