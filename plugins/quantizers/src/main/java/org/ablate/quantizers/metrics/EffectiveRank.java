package org.ablate.quantizers.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The effective rank of a matrix (Roy &amp; Vetterli, 2007): {@code exp(H(p))} with
 * {@code p_i = σ_i / Σ_j σ_j} the singular values normalised to sum 1 and H the Shannon entropy
 * in nats.
 *
 * <p>The SimVQ study tracks it for the linear layer W: a falling effective rank means the
 * effective codebook {@code C·W} spans fewer directions. Unlike the numerical rank it is
 * continuous: {@code diag(1,1,1,0)} has effective rank 3, {@code diag(1, 0.01)} about 1.06.
 * Singular values come from Commons Math's SVD (double precision); a zero matrix has effective
 * rank 0 by convention.
 */
public final class EffectiveRank {

    private EffectiveRank() {
    }

    /** Effective rank of a rank-2 ND4J array (any data type, copied to double). */
    public static double of(INDArray matrix) {
        if (matrix.rank() != 2) {
            throw new IllegalArgumentException("effective rank needs a matrix, got shape "
                    + java.util.Arrays.toString(matrix.shape()));
        }
        return of(matrix.toDoubleMatrix());
    }

    /** Effective rank of a rectangular matrix given as rows. */
    public static double of(double[][] matrix) {
        return ofSingularValues(singularValues(matrix));
    }

    /** Singular values of a rectangular matrix, descending. */
    public static double[] singularValues(double[][] matrix) {
        if (matrix.length == 0 || matrix[0].length == 0) {
            throw new IllegalArgumentException("effective rank of an empty matrix");
        }
        RealMatrix m = new Array2DRowRealMatrix(matrix, false);
        return new SingularValueDecomposition(m).getSingularValues();
    }

    /** Effective rank from singular values (non-negative, any order); 0 if all are 0. */
    public static double ofSingularValues(double[] sigma) {
        double sum = 0.0;
        for (double s : sigma) {
            if (s < 0 || Double.isNaN(s)) {
                throw new IllegalArgumentException("singular values must be >= 0, got " + s);
            }
            sum += s;
        }
        if (sum == 0.0) {
            return 0.0;
        }
        double h = 0.0;
        for (double s : sigma) {
            if (s > 0) {
                double p = s / sum;
                h -= p * Math.log(p);
            }
        }
        return Math.exp(h);
    }
}
