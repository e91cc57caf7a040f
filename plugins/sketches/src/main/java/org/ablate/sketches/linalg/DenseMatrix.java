package org.ablate.sketches.linalg;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A row-major float64 matrix on the Java heap. The sparse families and the FWHT stream over rows
 * with plain loops (which the JIT vectorises); {@link #block} hands row blocks to ND4J for gemm.
 */
public final class DenseMatrix {

    private final double[] data;
    private final int rows;
    private final int cols;

    public DenseMatrix(int rows, int cols) {
        this(new double[Math.multiplyExact(rows, cols)], rows, cols);
    }

    public DenseMatrix(double[] data, int rows, int cols) {
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("data has " + data.length + " values, not " + rows + "x" + cols);
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    public double[] data() {
        return data;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int r, int c) {
        return data[r * cols + c];
    }

    public void set(int r, int c, double v) {
        data[r * cols + c] = v;
    }

    /** Rows [from, from+count) copied into a C-ordered ND4J array (for BLAS). */
    public INDArray block(int from, int count) {
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {count, cols}, 'c');
        out.data().asNioDouble().put(data, from * cols, count * cols);
        return out;
    }

    /** A copy of an ND4J matrix, in row-major order whatever its ordering. */
    public static DenseMatrix of(INDArray a) {
        INDArray c = a.ordering() == 'c' && a.isView() == false ? a : a.dup('c');
        double[] data = new double[(int) c.length()];
        c.data().asNioDouble().get(data);
        return new DenseMatrix(data, (int) a.rows(), (int) a.columns());
    }

    /** This matrix as a column-major (Fortran-ordered) ND4J array, as LAPACK wants it. */
    public INDArray toFortran() {
        INDArray c = Nd4j.create(DataType.DOUBLE, new long[] {rows, cols}, 'c');
        c.data().asNioDouble().put(data);
        return c.dup('f');
    }

    /** The first {@code count} columns (e.g. A out of [A | b]). */
    public DenseMatrix leftColumns(int count) {
        DenseMatrix out = new DenseMatrix(rows, count);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data, r * cols, out.data, r * count, count);
        }
        return out;
    }

    public double[] column(int c) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = data[r * cols + c];
        }
        return out;
    }

    public boolean allFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + rows;
    }
}
