package org.ablate.sketches.family;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Same seed, same S bit for bit; another seed, another S; and S does not depend on threads. */
class SketchDeterminismTest {

    static Stream<TestMatrices.Family> families() {
        return TestMatrices.families().values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void theSameSeedGivesTheSameSketchBitForBitAndAnotherSeedAnother(TestMatrices.Family family) {
        int n = 300;   // not a power of two (SRHT pads)
        int m = 40;
        DenseMatrix ab = TestMatrices.gaussian(n, 5, 21);
        // fresh inputs each time: leverage scores are recomputed, nothing is cached across calls
        DenseMatrix first = family.apply(new SketchInput(ab), m, 123);
        DenseMatrix again = family.apply(new SketchInput(TestMatrices.gaussian(n, 5, 21)), m, 123);
        assertEquals(m, first.rows());
        assertEquals(5, first.cols());
        assertTrue(Arrays.equals(first.data(), again.data()), family + ": same seed, different S·M");
        DenseMatrix other = family.apply(new SketchInput(ab), m, 124);
        assertFalse(Arrays.equals(first.data(), other.data()), family + ": seeds 123 and 124 gave the same S·M");
        // the input is not modified
        assertArrayEquals(TestMatrices.gaussian(n, 5, 21).data(), ab.data(), 0.0);
    }

    /**
     * The "S from the identity" trick every other test relies on: S read off S·[I | e_1] times a
     * random M equals the sketch of M with the same seed (S depends on n, m and the seed only). Not
     * for leverage sampling, whose S depends on A's leverage scores.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gaussian", "rademacher", "srht", "countsketch", "osnap", "uniform"})
    void theSketchOfAnyMatrixIsOneFixedSTimesIt(String name) {
        TestMatrices.Family family = TestMatrices.families().get(name);
        int n = 300;
        int m = 40;
        DenseMatrix s = TestMatrices.sketchMatrix(family, n, m, 9);
        for (long inputSeed : new long[] {1, 2}) {
            DenseMatrix ab = TestMatrices.gaussian(n, 4, inputSeed);
            double diff = TestMatrices.relativeDifference(family.apply(ab, m, 9), TestMatrices.multiply(s, ab));
            assertTrue(diff < 1e-12, name + ": S·M and sketch(M) differ by " + diff);
        }
    }

    /** m for the multi-block tests, and n = two full column blocks of S plus a partial one of 52 columns. */
    private static final int BLOCK_M = 2048;
    private static final int BLOCK = DenseBlockSketch.blockColumns(Integer.MAX_VALUE, BLOCK_M);
    private static final int BLOCK_N = 2 * BLOCK + 52;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gaussian", "rademacher"})
    void denseSketchesAreLinearAcrossTheirColumnBlocks(String name) {
        TestMatrices.Family family = TestMatrices.families().get(name);
        int n = BLOCK_N;
        int m = BLOCK_M;
        assertEquals(3, (n + DenseBlockSketch.blockColumns(n, m) - 1) / DenseBlockSketch.blockColumns(n, m), "three blocks");
        DenseMatrix a = TestMatrices.gaussian(n, 3, 1);
        DenseMatrix b = TestMatrices.gaussian(n, 3, 2);
        DenseMatrix sum = new DenseMatrix(n, 3);
        for (int i = 0; i < sum.data().length; i++) {
            sum.data()[i] = a.data()[i] + b.data()[i];
        }
        DenseMatrix sa = family.apply(a, m, 5);
        DenseMatrix sb = family.apply(b, m, 5);
        DenseMatrix ss = family.apply(sum, m, 5);
        for (int i = 0; i < ss.data().length; i++) {
            assertEquals(sa.data()[i] + sb.data()[i], ss.data()[i], 1e-10);
        }
        // S·e_j is column j of S: the first column of each block (0, B, 2B) comes from its own
        // stream, not a repeat of the first block's
        DenseMatrix unit = new DenseMatrix(n, 3);
        unit.set(0, 0, 1.0);
        unit.set(BLOCK, 1, 1.0);
        unit.set(2 * BLOCK, 2, 1.0);
        DenseMatrix cols = family.apply(unit, m, 5);
        assertFalse(Arrays.equals(cols.column(0), cols.column(1)), "columns 0 and " + BLOCK + " of S are equal");
        assertFalse(Arrays.equals(cols.column(0), cols.column(2)), "columns 0 and " + 2 * BLOCK + " of S are equal");
        assertFalse(Arrays.equals(cols.column(1), cols.column(2)));
        // and within a block the two generator parts differ: the row-major m × B block's first half
        // (rows < m/2) is part 0, its second half part 1
        assertFalse(Arrays.equals(Arrays.copyOfRange(cols.column(0), 0, m / 2), Arrays.copyOfRange(cols.column(0), m / 2, m)));
        double entry = Math.abs(cols.get(0, 0));
        if (name.equals("gaussian")) {
            // a repeated stream would repeat values exactly; Gaussian values never coincide by chance
            assertEquals(m, Arrays.stream(cols.column(0)).distinct().count(), "repeated values in column 0");
        } else {
            assertEquals(1 / Math.sqrt(m), entry, 0.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gaussian", "rademacher"})
    void denseSketchesDoNotDependOnTheThreadPool(String name) throws Exception {
        TestMatrices.Family family = TestMatrices.families().get(name);
        SketchInput input = new SketchInput(TestMatrices.gaussian(BLOCK_N, 3, 4));
        int m = BLOCK_M;
        DenseMatrix common = family.apply(input, m, 77);

        for (int threads : new int[] {1, 3}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                DenseMatrix inPool = pool.submit(() -> family.apply(input, m, 77)).get();
                assertTrue(Arrays.equals(common.data(), inPool.data()), name + ": differs on a " + threads + "-thread pool");
            } finally {
                pool.shutdown();
            }
        }

        // two concurrent calls from plain threads
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            Callable<DenseMatrix> call = () -> family.apply(input, m, 77);
            Future<DenseMatrix> f1 = executor.submit(call);
            Future<DenseMatrix> f2 = executor.submit(call);
            assertTrue(Arrays.equals(common.data(), f1.get().data()));
            assertTrue(Arrays.equals(common.data(), f2.get().data()));
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void leverageScoresAreComputedOnceAndSharedByDraws() {
        SketchInput input = new SketchInput(TestMatrices.gaussian(200, 4, 3));
        double[] first = input.leverageScores();
        assertTrue(first == input.leverageScores(), "scores recomputed");
        double total = Arrays.stream(first).sum();
        assertEquals(3.0, total, 1e-10); // d = 3 columns of A (the 4th is b)
    }
}
