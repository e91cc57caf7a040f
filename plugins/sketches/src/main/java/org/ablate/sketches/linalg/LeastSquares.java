package org.ablate.sketches.linalg;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Least squares by QR (LAPACK dgeqrf through ND4J). The QR of the augmented [A | b] gives, in its
 * triangular factor, R of A, Qᵀb and the residual norm at once: x = R⁻¹(Qᵀb) and
 * ||Ax − b|| = |r_{d+1,d+1}|, without ever forming Q.
 *
 * <p>Every factor is checked before it is used: ||Mv|| = ||Rv|| for a random v, since M = QR with Q
 * orthonormal (one pass over M). ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19, whose SkylakeX kernels
 * (chosen on AVX-512 Xeons) returned a wrong R here for every matrix of more than 128 columns, where
 * LAPACK switches to its blocked QR: at n = 2^16, d = 128 every exact solution was off and ε_eff was
 * 20-50 instead of 0.7 (with OPENBLAS_CORETYPE=Haswell it was right). A factor that fails the check is
 * recomputed with commons-math3's Householder QR (pure Java, about 10x slower) and the JVM logs it once.
 */
public final class LeastSquares {

    /** Below this σ_min/σ_max, A is treated as rank-deficient. */
    static final double RANK_TOLERANCE = 1e-12;
    /** A factor whose ||Rv|| differs from ||Mv|| by more than this (relative) is wrong, not rounded. */
    static final double FACTOR_TOLERANCE = 1e-8;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeastSquares.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

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
        double[][] raug = checkedTriangularFactor(padded);
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
        DenseMatrix left = ab.leftColumns(d);
        INDArray a = left.toFortran();
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(a, r); // a becomes Q
        double[][] factor = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                factor[i][j] = r.getDouble(i, j);
            }
        }
        if (!factorMatches(left, factor)) {
            warnOnce(left);
            return leverageScoresFrom(left, javaTriangularFactor(left));
        }
        INDArray rowNorms = a.mul(a).sum(1);
        double[] out = new double[ab.rows()];
        rowNorms.data().asNioDouble().get(out);
        // Q comes from another LAPACK call (dorgqr) than R: the scores of an orthonormal Q sum to d, each in [0, 1]
        double sum = 0;
        boolean inRange = true;
        for (double l : out) {
            sum += l;
            inRange &= l >= -FACTOR_TOLERANCE && l <= 1 + FACTOR_TOLERANCE;
        }
        if (!inRange || Math.abs(sum - d) > FACTOR_TOLERANCE * d * 100) {
            warnOnce(left);
            return leverageScoresFrom(left, factor);
        }
        return out;
    }

    /** ℓ_i = ||R⁻ᵀ a_i||², row by row (A = QR, so Q's row i is a_i R⁻¹). */
    private static double[] leverageScoresFrom(DenseMatrix a, double[][] r) {
        int d = a.cols();
        double[] out = new double[a.rows()];
        double[] y = new double[d];
        for (int row = 0; row < a.rows(); row++) {
            double sum = 0;
            for (int j = 0; j < d; j++) { // forward substitution: Rᵀ y = a_row
                double v = a.get(row, j);
                for (int k = 0; k < j; k++) {
                    v -= r[k][j] * y[k];
                }
                y[j] = v / r[j][j];
                sum += y[j] * y[j];
            }
            out[row] = sum;
        }
        return out;
    }

    /** ND4J's (LAPACK's) triangular factor of {@code m}, or commons-math3's where LAPACK's fails the check. */
    static double[][] checkedTriangularFactor(DenseMatrix m) {
        double[][] r = triangularFactor(m.toFortran());
        if (factorMatches(m, r)) {
            return r;
        }
        warnOnce(m);
        return javaTriangularFactor(m);
    }

    /** ||Mv|| = ||Rv|| for a fixed pseudo-random v (M = QR, Q orthonormal): a wrong R fails it. */
    static boolean factorMatches(DenseMatrix m, double[][] r) {
        int cols = m.cols();
        double[] v = new SplittableRandom(0x5EEDL).doubles(cols, -1, 1).toArray();
        double mv = 0;
        for (int i = 0; i < m.rows(); i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += m.get(i, j) * v[j];
            }
            mv += s * s;
        }
        double expected = Math.sqrt(mv);
        double got = normOfProduct(r, v);
        return Math.abs(got - expected) <= FACTOR_TOLERANCE * Math.max(expected, Double.MIN_NORMAL);
    }

    /** The triangular factor by commons-math3's Householder QR (rows ≥ columns). */
    static double[][] javaTriangularFactor(DenseMatrix m) {
        RealMatrix matrix = new BlockRealMatrix(m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                matrix.setEntry(i, j, m.get(i, j));
            }
        }
        RealMatrix full = new QRDecomposition(matrix).getR();
        int cols = m.cols();
        double[][] out = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                out[i][j] = full.getEntry(i, j);
            }
        }
        return out;
    }

    private static void warnOnce(DenseMatrix m) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("ND4J's LAPACK QR (geqrf) returned a wrong triangular factor for a {}x{} matrix: QR falls back to"
                    + " commons-math3 where that happens (slower; OpenBLAS 0.3.19's SkylakeX kernels do this beyond 128"
                    + " columns; OPENBLAS_CORETYPE=Haswell avoids it)", m.rows(), m.cols());
        }
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
