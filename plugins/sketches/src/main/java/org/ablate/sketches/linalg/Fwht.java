package org.ablate.sketches.linalg;

/**
 * The fast Walsh–Hadamard transform, unnormalised (H has entries ±1), applied in place to the
 * columns of a row-major N × k matrix with N a power of two: O(N k log N). Each butterfly combines
 * two whole rows, so the inner loop runs over contiguous memory. Stages whose row pairs lie within
 * a block of {@link #BLOCK_ROWS} rows are done block by block while the block is in cache; the
 * remaining (long-stride) stages sweep the matrix once each.
 */
public final class Fwht {

    /** Rows per cache block: 256 rows × 65 columns × 8 bytes ≈ 133 KB, inside a 1 MB L2. */
    static final int BLOCK_ROWS = 256;

    private Fwht() {
    }

    public static void transform(double[] data, int rows, int cols) {
        if (Integer.bitCount(rows) != 1) {
            throw new IllegalArgumentException("FWHT needs a power-of-two row count, got " + rows);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " values, not " + rows + "x" + cols);
        }
        int block = Math.min(BLOCK_ROWS, rows);
        for (int start = 0; start < rows; start += block) {
            for (int h = 1; h < block; h <<= 1) {
                stage(data, cols, start, start + block, h);
            }
        }
        for (int h = block; h < rows; h <<= 1) {
            stage(data, cols, 0, rows, h);
        }
    }

    /** One butterfly stage of half-width h over rows [from, to). */
    private static void stage(double[] data, int cols, int from, int to, int h) {
        for (int i = from; i < to; i += 2 * h) {
            for (int j = i; j < i + h; j++) {
                int a = j * cols;
                int b = (j + h) * cols;
                for (int c = 0; c < cols; c++) {
                    double x = data[a + c];
                    double y = data[b + c];
                    data[a + c] = x + y;
                    data[b + c] = x - y;
                }
            }
        }
    }
}
