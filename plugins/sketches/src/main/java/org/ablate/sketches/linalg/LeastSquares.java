package org.ablate.sketches.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Least squares by QR (LAPACK dgeqrf through ND4J). The QR of the augmented [A | b] gives, in its
 * triangular factor, R of A, Qᵀb and the residual norm at once: x = R⁻¹(Qᵀb) and
 * ||Ax − b|| = |r_{d+1,d+1}|, without ever forming Q.
 */
public final class LeastSquares {

    /** Below this σ_min/σ_max, A is treated as rank-deficient. */
    static final double RANK_TOLERANCE = 1e-12;

    private LeastSquares() {
    }

    /** x = argmin ||Ax − b||, with R of A, the residual norm and σ_min(A). */
    public record Solution(double[] x, double residualNorm, double[][] r, double sigmaMin, double sigmaMax) {
    }

    /** Solves for M = [A | b] (rows × (d+1)); needs rows ≥ d and A of full column rank. */
    public static Solution solve(DenseMatrix ab, int d) {
        if (ab.rows() < d) {
            throw new IllegalArgumentException("least squares needs at least d = " + d + " rows, got " + ab.rows());
        }
        // LAPACK's QR (geqrf + dorgqr in ND4J) needs rows >= columns: a square system (m = d) is
        // padded with zero rows, which leave R unchanged and make the residual 0
        DenseMatrix padded = ab.rows() > d ? ab : withZeroRows(ab, d + 1);
        double[][] raug = triangularFactor(padded.toFortran());
        int k = raug.length; // min(rows, d+1)
        double[][] r = new double[d][d];
        double[] qtb = new double[d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(raug[i], 0, r[i], 0, d);
            qtb[i] = raug[i][d];
        }
        double residual = k > d ? Math.abs(raug[d][d]) : 0.0;
        double[] sv = new SingularValueDecomposition(new Array2DRowRealMatrix(r, false)).getSingularValues();
        double sigmaMax = sv[0];
        double sigmaMin = sv[sv.length - 1];
        if (!(sigmaMin > RANK_TOLERANCE * sigmaMax)) {
            throw new RankDeficientException("A is rank-deficient: sigma_min/sigma_max = " + (sigmaMin / sigmaMax)
                    + " (below " + RANK_TOLERANCE + ")");
        }
        return new Solution(backSubstitute(r, qtb), residual, r, sigmaMin, sigmaMax);
    }

    private static DenseMatrix withZeroRows(DenseMatrix ab, int rows) {
        DenseMatrix out = new DenseMatrix(rows, ab.cols());
        System.arraycopy(ab.data(), 0, out.data(), 0, ab.data().length);
        return out;
    }

    /** ℓ_i = ||Q_i||² for the thin QR of A, the first d columns of {@code ab}. */
    public static double[] leverageScores(DenseMatrix ab, int d) {
        INDArray a = ab.leftColumns(d).toFortran();
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(a, r); // a becomes Q
        INDArray rowNorms = a.mul(a).sum(1);
        double[] out = new double[ab.rows()];
        rowNorms.data().asNioDouble().get(out);
        return out;
    }

    /** The upper-triangular factor of a QR of {@code a} (column-major; overwritten with Q). */
    static double[][] triangularFactor(INDArray a) {
        int rows = (int) a.rows();
        int cols = (int) a.columns();
        if (rows < cols) {
            throw new IllegalArgumentException("QR here needs rows >= columns, got " + rows + "x" + cols);
        }
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {cols, cols}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(a, r);
        double[][] out = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                out[i][j] = r.getDouble(i, j);
            }
        }
        return out;
    }

    /** Solves R x = y for upper-triangular R. */
    public static double[] backSubstitute(double[][] r, double[] y) {
        int d = y.length;
        double[] x = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = y[i];
            for (int j = i + 1; j < d; j++) {
                s -= r[i][j] * x[j];
            }
            x[i] = s / r[i][i];
        }
        return x;
    }

    /** ||R v||₂ for upper-triangular R: ||A v|| when R is A's factor. */
    public static double normOfProduct(double[][] r, double[] v) {
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (int j = i; j < v.length; j++) {
                s += r[i][j] * v[j];
            }
            sum += s * s;
        }
        return Math.sqrt(sum);
    }

    /** A is not of full column rank: the regression has no unique solution. */
    public static final class RankDeficientException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public RankDeficientException(String message) {
            super(message);
        }
    }
}
