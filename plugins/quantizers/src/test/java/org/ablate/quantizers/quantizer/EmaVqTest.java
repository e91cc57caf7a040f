package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.emaParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.near;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.ablate.quantizers.spi.Assignment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * EMA-VQ: N_k ← γN_k + (1−γ)n_k, m_k ← γm_k + (1−γ)Σz, c_k = m_k / N̂_k with Laplace smoothing
 * N̂_k = (N_k + ε) / (ΣN + Kε) · ΣN.
 */
class EmaVqTest {

    private static final int D = 4;
    private static final int K = 8;
    private static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};

    /** Codes 1, 4 and 6 chosen by 2, 3 and 2 tokens; the other five unused. */
    private static final int[] CODES = {1, 1, 4, 4, 4, 6, 6};

    private static EmaVq.State ema(double decay, double eps, double dead) {
        return (EmaVq.State) new EmaVq(emaParams(decay, eps, dead)).create(setup(D, K, 0.25, 1e-2, 23));
    }

    /** One EMA step by hand from counts n0 and sums m0 (per code), returning the new codebook. */
    private static double[][] emaByHand(double[] n0, double[][] m0, int[] idx, double[][] z, double decay, double eps) {
        double[] n = new double[K];
        double[][] m = new double[K][D];
        for (int j = 0; j < K; j++) {
            n[j] = decay * n0[j];
            for (int c = 0; c < D; c++) {
                m[j][c] = decay * m0[j][c];
            }
        }
        for (int i = 0; i < idx.length; i++) {
            n[idx[i]] += 1 - decay;
            for (int c = 0; c < D; c++) {
                m[idx[i]][c] += (1 - decay) * z[i][c];
            }
        }
        double total = Arrays.stream(n).sum();
        double[][] out = new double[K][D];
        for (int j = 0; j < K; j++) {
            double smoothed = (n[j] + eps) / (total + K * eps) * total;
            for (int c = 0; c < D; c++) {
                out[j][c] = m[j][c] / smoothed;
            }
        }
        return out;
    }

    @Test
    void withDecayZeroChosenCodesBecomeTheSmoothedMeanOfTheirTokens() {
        double eps = 1e-3; // large enough that the smoothing is visible
        EmaVq.State s = ema(0.0, eps, 0.0);
        double[][] c0 = toDouble(s.decode(ALL));
        INDArray z = near(c0, CODES, 0.3, 2);
        double[][] zd = toDouble(z);
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(CODES, a.indices());
            s.update(z, a);
        }
        double[][] expected = emaByHand(new double[K], c0, CODES, zd, 0.0, eps);
        double[][] got = toDouble(s.decode(ALL));
        QuantizerFixtures.assertClose(expected, got, 1e-6, "codebook after one EMA step with γ = 0");
        // code 4: Σz / ((3 + ε)/(7 + 8ε)·7), i.e. the mean of its three tokens scaled by (7 + 8ε)/(7 + 7ε/3)
        double scale = (7 + 8 * eps) / ((3 + eps) / 3 * 7);
        for (int c = 0; c < D; c++) {
            double mean = (zd[2][c] + zd[3][c] + zd[4][c]) / 3;
            assertEquals(mean * scale, got[4][c], 1e-6);
        }
        assertEquals(K, s.rowsChanged(), "γ = 0 forgets the unused codes' sums: they become 0");
        for (int j : new int[] {0, 2, 3, 5, 7}) {
            assertArrayEquals(new double[D], got[j], 0.0, "unused code " + j);
        }
    }

    @Test
    void codesWhoseCountFallsBelowTheThresholdAreResetToBatchVectors() {
        // γ = 0.5, threshold 0.6: unused codes have an EMA count of at most 0.5 after the first step
        // (0.5 × an initial count of 0 or 1), chosen codes (n ≥ 2 tokens) at least 1.0.
        EmaVq.State s = ema(0.5, 1e-5, 0.6);
        double[][] c0 = toDouble(s.decode(ALL));
        INDArray z = near(c0, CODES, 0.3, 3);
        double[][] zd = toDouble(z);
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(CODES, a.indices());
            s.update(z, a);
        }
        double[][] got = toDouble(s.decode(ALL));
        for (int j = 0; j < K; j++) {
            boolean chosen = j == 1 || j == 4 || j == 6;
            boolean isBatchVector = false;
            for (double[] row : zd) {
                isBatchVector |= Arrays.equals(row, got[j]);
            }
            assertEquals(!chosen, isBatchVector, "code " + j + (chosen ? " (chosen) must not" : " (unused) must")
                    + " be reset to a batch vector: " + Arrays.toString(got[j]));
        }
        assertEquals(K, s.rowsChanged());
    }

    @Test
    void noThresholdNeverResets() {
        EmaVq.State s = ema(0.9, 1e-5, 0.0);
        double[][] c0 = toDouble(s.decode(ALL));
        INDArray z = near(c0, CODES, 0.3, 4);
        double[][] zd = toDouble(z);
        try (Assignment a = s.assign(z)) {
            s.update(z, a);
        }
        double[][] got = toDouble(s.decode(ALL));
        for (int j : new int[] {0, 2, 3, 5, 7}) {
            for (double[] row : zd) {
                assertTrue(!Arrays.equals(row, got[j]), "code " + j + " was not reset");
            }
        }
    }

    /**
     * The EMA formula with a consistent starting state — N_k = 1 and m_k = c_k, so c_k = m_k/N_k, as
     * vector-quantize-pytorch (cluster_size = ones, embed_avg = embed) starts — moves a chosen code
     * towards its tokens' mean and leaves unused codes where they are.
     */
    @Test
    void unusedCodesKeepTheirValueAndChosenCodesMoveTowardsTheirMean() {
        double decay = 0.99;
        double eps = 1e-5;
        EmaVq.State s = ema(decay, eps, 0.0);
        double[][] c0 = toDouble(s.decode(ALL));
        INDArray z = near(c0, CODES, 0.3, 5);
        double[][] zd = toDouble(z);
        try (Assignment a = s.assign(z)) {
            assertArrayEquals(CODES, a.indices());
            s.update(z, a);
        }
        double[] ones = new double[K];
        Arrays.fill(ones, 1.0);
        double[][] expected = emaByHand(ones, c0, CODES, zd, decay, eps);
        double[][] got = toDouble(s.decode(ALL));
        for (int j : new int[] {0, 2, 3, 5, 7}) {
            assertArrayEquals(c0[j], got[j], 1e-3 * Math.abs(c0[j][0]) + 1e-4, "unused code " + j + " keeps its value");
        }
        QuantizerFixtures.assertClose(expected, got, 1e-6, "one EMA step from N = 1, m = c");
        for (int code : new int[] {1, 4, 6}) {
            double[] mean = new double[D];
            int count = 0;
            for (int i = 0; i < CODES.length; i++) {
                if (CODES[i] == code) {
                    count++;
                    for (int c = 0; c < D; c++) {
                        mean[c] += zd[i][c];
                    }
                }
            }
            for (int c = 0; c < D; c++) {
                mean[c] /= count;
            }
            assertTrue(QuantizerFixtures.squaredDistance(got[code], mean) < QuantizerFixtures.squaredDistance(c0[code], mean),
                    "code " + code + " moves towards its tokens' mean");
        }
    }
}
