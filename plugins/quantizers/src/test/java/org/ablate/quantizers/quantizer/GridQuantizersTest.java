package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.fsqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.lfqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** FSQ's integer grid and LFQ's sign bits: code counts, index bijections, and the errors for impossible K. */
class GridQuantizersTest {

    /** Every grid point of the levels, as zPre rows (the integer values FSQ rounds to). */
    private static float[][] grid(int[] levels) {
        int total = 1;
        for (int l : levels) {
            total *= l;
        }
        float[][] out = new float[total][levels.length];
        for (int p = 0; p < total; p++) {
            int rest = p;
            for (int j = levels.length - 1; j >= 0; j--) {
                int digit = rest % levels[j];
                rest /= levels[j];
                out[p][j] = digit - levels[j] / 2;
            }
        }
        return out;
    }

    private static void checkGrid(QuantizerState fsq, int[] levels) {
        int product = 1;
        for (int l : levels) {
            product *= l;
        }
        assertEquals(product, fsq.codebookSize(), "codes = product of the levels");
        assertEquals(levels.length, fsq.codeDim());
        float[][] points = grid(levels);
        try (Assignment a = fsq.assign(Nd4j.create(points))) {
            Set<Integer> seen = new HashSet<>();
            for (int i : a.indices()) {
                assertTrue(i >= 0 && i < product, "index " + i);
                seen.add(i);
            }
            assertEquals(product, seen.size(), "one distinct index per grid point, covering [0, K)");
            double[][] q = toDouble(a.quantized());
            for (int p = 0; p < points.length; p++) {
                for (int j = 0; j < levels.length; j++) {
                    assertEquals(points[p][j], q[p][j], 0.0, "grid points quantise to themselves");
                }
            }
        }
    }

    @Test
    void fsqDefaultLevelsForK256AreTheGrid865() {
        QuantizerState fsq = new Fsq(fsqParams()).create(setup(8, 256, 0.25, 1e-3, 1));
        checkGrid(fsq, new int[] {8, 6, 5});
        assertEquals(240, fsq.codebookSize(), "the paper's levels 8·6·5 for K = 256 give 240 codes");
    }

    @Test
    void fsqDefaultLevelsForEveryTabulatedK() {
        int[][] expected = {{256, 240}, {1024, 1000}, {4096, 4375}, {16384, 15360}, {65536, 64000}};
        for (int[] e : expected) {
            assertEquals(e[1], new Fsq(fsqParams()).create(setup(8, e[0], 0.25, 1e-3, 1)).codebookSize(), "K = " + e[0]);
        }
    }

    @Test
    void fsqExplicitLevelsIncludingEvenAndTwo() {
        checkGrid(new Fsq(fsqParams(3, 4, 5)).create(setup(8, 999, 0.25, 1e-3, 1)), new int[] {3, 4, 5});
        checkGrid(new Fsq(fsqParams(2, 7, 2)).create(setup(8, 999, 0.25, 1e-3, 1)), new int[] {2, 7, 2});
    }

    @Test
    void fsqRoundsAndClampsToTheGrid() {
        QuantizerState fsq = new Fsq(fsqParams(5, 4)).create(setup(8, 0, 0.25, 1e-3, 1));
        INDArray z = Nd4j.create(new float[][] {{0.4f, 0.6f}, {-1.6f, -1.4f}, {9f, 9f}, {-9f, -9f}, {2.49f, 1.51f}});
        try (Assignment a = fsq.assign(z)) {
            // levels 5: −2..2; levels 4: −2..1
            float[][] expected = {{0, 1}, {-2, -1}, {2, 1}, {-2, -2}, {2, 1}};
            double[][] q = toDouble(a.quantized());
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(expected[i][j], q[i][j], 0.0, "token " + i + ", value " + j);
                }
            }
        }
    }

    @Test
    void fsqWithoutDefaultLevelsExplainsWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Fsq(fsqParams()).create(setup(8, 300, 0.25, 1e-3, 1)));
        assertTrue(e.getMessage().contains("fsq has no default levels for codebook_size = 300"), e.getMessage());
        assertTrue(e.getMessage().contains("[256, 1024, 4096, 16384, 65536]"), e.getMessage());
        assertTrue(e.getMessage().contains("set quantizer.levels"), e.getMessage());
    }

    @Test
    void fsqHasNoCommitmentTerm() {
        assertFalse(new Fsq(fsqParams()).create(setup(8, 256, 0.25, 1e-3, 1)).commitment());
    }

    @Test
    void lfqIndexIsTheBitPatternOfTheSigns() {
        QuantizerState lfq = new Lfq(lfqParams(0.1)).create(setup(8, 16, 0.25, 1e-3, 1));
        assertEquals(4, lfq.codeDim(), "d = log2 K");
        assertEquals(16, lfq.codebookSize());
        INDArray z = gaussian(200, 4, 1.0, 3);
        double[][] zd = toDouble(z);
        try (Assignment a = lfq.assign(z)) {
            double[][] q = toDouble(a.quantized());
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < zd.length; i++) {
                int code = 0;
                for (int j = 0; j < 4; j++) {
                    if (zd[i][j] >= 0) {
                        code |= 1 << j;
                    }
                    assertEquals(zd[i][j] >= 0 ? 1.0 : -1.0, q[i][j], 0.0);
                }
                assertEquals(code, a.indices()[i], "token " + i);
                seen.add(code);
            }
            assertEquals(16, seen.size(), "200 Gaussian tokens hit all 16 sign patterns");
        }
        try (Assignment a = lfq.assign(Nd4j.create(new float[][] {{0f, -0f, -1e-9f, 1e-9f}}))) {
            assertArrayEquals(new int[] {0b1011}, a.indices(), "zero counts as a 1 bit");
        }
    }

    @Test
    void lfqNeedsAPowerOfTwo() {
        for (int k : new int[] {100, 3, 1, 0, 1000}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Lfq(lfqParams(0.1)).create(setup(8, k, 0.25, 1e-3, 1)), "K = " + k);
            assertEquals("lfq needs a power-of-two codebook_size (d = log2 K), got " + k, e.getMessage());
        }
        for (int k : new int[] {2, 1024, 1 << 18}) {
            assertEquals(k, new Lfq(lfqParams(0.1)).create(setup(8, k, 0.25, 1e-3, 1)).codebookSize());
        }
    }
}
