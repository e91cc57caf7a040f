package org.ablate.sketches.instance;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Building blocks of the instance families. */
final class Instances {

    private Instances() {
    }

    /** An n × cols matrix of i.i.d. N(0, 1) entries, inside an n × (cols+1) matrix whose last column is 0. */
    static DenseMatrix gaussianWithSpareColumn(int n, int cols, SplittableRandom random) {
        DenseMatrix ab = new DenseMatrix(n, cols + 1);
        double[] a = ab.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                a[i * (cols + 1) + j] = random.nextGaussian();
            }
        }
        return ab;
    }

    static double[] gaussianVector(int length, SplittableRandom random) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /**
     * Sets b = A x0 + r in the last column of {@code ab}, with x0 ~ N(0, I), r a Gaussian vector
     * projected onto the orthogonal complement of col(A) and scaled to ||r|| = noise · ||A x0||
     * (so x* = x0 exactly).
     */
    static void setRightHandSide(DenseMatrix ab, double noise, SplittableRandom random) {
        int n = ab.rows();
        int d = ab.cols() - 1;
        double[] x0 = gaussianVector(d, random);
        double[] ax = multiply(ab, x0);
        double[] r = gaussianVector(n, random);
        double[] perp = projectOut(ab, r);
        double target = noise * norm(ax);
        double scale = norm(perp) > 0 ? target / norm(perp) : 0;
        for (int i = 0; i < n; i++) {
            ab.set(i, d, ax[i] + scale * perp[i]);
        }
    }

    /** A·x for the first d columns of {@code ab}. */
    static double[] multiply(DenseMatrix ab, double[] x) {
        int k = ab.cols();
        double[] a = ab.data();
        double[] out = new double[ab.rows()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i * k + j] * x[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** v − Q Qᵀ v for Q from a thin QR of A (the first d columns of {@code ab}). */
    static double[] projectOut(DenseMatrix ab, double[] v) {
        int d = ab.cols() - 1;
        INDArray q = ab.leftColumns(d).toFortran();
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(q, r);
        INDArray vec = Nd4j.createFromArray(v).reshape(v.length, 1);
        INDArray coef = q.transpose().mmul(vec);
        INDArray proj = q.mmul(coef);
        double[] p = proj.data().asDouble();
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] - p[i];
        }
        return out;
    }

    /** The Q of a thin QR of a Gaussian rows × cols matrix: orthonormal columns, Haar-distributed up to signs. */
    static double[][] orthonormal(int rows, int cols, SplittableRandom random) {
        DenseMatrix g = gaussianWithSpareColumn(rows, cols, random).leftColumns(cols);
        INDArray q = g.toFortran();
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {cols, cols}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(q, r);
        return q.toDoubleMatrix();
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
