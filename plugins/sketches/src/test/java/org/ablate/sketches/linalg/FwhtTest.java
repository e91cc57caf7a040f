package org.ablate.sketches.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ablate.sketches.TestMatrices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The in-place FWHT against the dense Sylvester Hadamard matrix, below, at and above its cache block. */
class FwhtTest {

    private static double[] random(int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** H·X with the dense H (rows × rows) and row-major X (rows × cols). */
    private static double[] denseProduct(double[] x, int rows, int cols) {
        double[][] h = TestMatrices.hadamard(rows);
        double[] out = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < rows; k++) {
                double hik = h[i][k];
                for (int c = 0; c < cols; c++) {
                    out[i * cols + c] += hik * x[k * cols + c];
                }
            }
        }
        return out;
    }

    @Test
    void theCacheBlockIsWhatTheSizesBelowStraddle() {
        // the sizes of the next test are chosen around this block: 256 = at, 512 and 2048 = above
        assertEquals(256, Fwht.BLOCK_ROWS);
    }

    @ParameterizedTest(name = "rows={0}, cols={1}")
    @CsvSource({"1,1", "1,65", "2,1", "2,3", "8,1", "8,65", "256,1", "256,65", "512,1", "512,7", "512,65", "2048,1", "2048,3"})
    void equalsMultiplicationByTheDenseHadamardMatrix(int rows, int cols) {
        double[] x = random(rows * cols, 31L * rows + cols);
        double[] expected = denseProduct(x, rows, cols);
        double[] data = x.clone();
        Fwht.transform(data, rows, cols);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < data.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - data[i]));
        }
        assertTrue(diff <= 1e-9 * scale, "max |FWHT - H x| = " + diff + " at scale " + scale);
    }

    @ParameterizedTest(name = "rows={0}, cols={1}")
    @CsvSource({"1,2", "8,5", "256,3", "512,2", "4096,2"})
    void applyingTwiceGivesNTimesTheInput(int rows, int cols) {
        // H·H = N·I for the unnormalised Sylvester matrix
        double[] x = random(rows * cols, 7L * rows + cols);
        double[] data = x.clone();
        Fwht.transform(data, rows, cols);
        Fwht.transform(data, rows, cols);
        for (int i = 0; i < x.length; i++) {
            assertEquals(rows * x[i], data[i], 1e-9 * rows * (1 + Math.abs(x[i])), "entry " + i);
        }
    }

    @Test
    void aUnitVectorBecomesAHadamardColumn() {
        // e_j ↦ H e_j = column j of H: exact ±1 values, checked across the block boundary
        int rows = 1024;
        for (int j : new int[] {0, 1, 255, 256, 257, 700, 1023}) {
            double[] data = new double[rows];
            data[j] = 1.0;
            Fwht.transform(data, rows, 1);
            for (int i = 0; i < rows; i++) {
                assertEquals((Integer.bitCount(i & j) & 1) == 0 ? 1.0 : -1.0, data[i], 0.0, "H[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void columnsAreTransformedIndependently() {
        // transforming a 512 x 3 matrix equals transforming each of its columns alone
        int rows = 512;
        int cols = 3;
        double[] x = random(rows * cols, 99);
        double[] together = x.clone();
        Fwht.transform(together, rows, cols);
        for (int c = 0; c < cols; c++) {
            double[] column = new double[rows];
            for (int i = 0; i < rows; i++) {
                column[i] = x[i * cols + c];
            }
            Fwht.transform(column, rows, 1);
            double[] fromTogether = new double[rows];
            for (int i = 0; i < rows; i++) {
                fromTogether[i] = together[i * cols + c];
            }
            assertArrayEquals(column, fromTogether, 0.0, "column " + c);
        }
    }

    @Test
    void aNonPowerOfTwoRowCountIsRejected() {
        for (int rows : new int[] {0, 3, 6, 100, 257}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Fwht.transform(new double[rows * 2], rows, 2));
            assertTrue(e.getMessage().contains("power-of-two row count, got " + rows), e.getMessage());
        }
    }

    @Test
    void aDataLengthThatIsNotRowsTimesColsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Fwht.transform(new double[15], 8, 2));
        assertTrue(e.getMessage().contains("not 8x2"), e.getMessage());
    }
}
