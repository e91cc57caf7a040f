package org.ablate.sketches;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.sketches.family.CountSketch;
import org.ablate.sketches.family.GaussianSketch;
import org.ablate.sketches.family.LeverageSampling;
import org.ablate.sketches.family.OsnapSketch;
import org.ablate.sketches.family.RademacherSketch;
import org.ablate.sketches.family.SrhtSketch;
import org.ablate.sketches.family.UniformSampling;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Parameters;

/** Small dense-matrix helpers shared by the sketch tests (plain loops: the matrices are small). */
public final class TestMatrices {

    public static final Parameters OSNAP_S4 = new Parameters(Map.of("s", 4L));

    private TestMatrices() {
    }

    /** A sketch family, configured with the parameters a test uses for it. */
    public record Family(String name, Sketch sketch) {
        public DenseMatrix apply(SketchInput input, int m, long seed) {
            return sketch.apply(input, m, seed);
        }

        public DenseMatrix apply(DenseMatrix ab, int m, long seed) {
            return apply(new SketchInput(ab), m, seed);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every family of the plugin, OSNAP with s = 4. */
    public static Map<String, Family> families() {
        Map<String, Family> f = new LinkedHashMap<>();
        f.put("gaussian", new Family("gaussian", new GaussianSketch()));
        f.put("rademacher", new Family("rademacher", new RademacherSketch()));
        f.put("srht", new Family("srht", new SrhtSketch()));
        f.put("countsketch", new Family("countsketch", new CountSketch()));
        f.put("osnap", new Family("osnap", new OsnapSketch(OSNAP_S4)));
        f.put("leverage", new Family("leverage", new LeverageSampling()));
        f.put("uniform", new Family("uniform", new UniformSampling()));
        return f;
    }

    public static DenseMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DenseMatrix out = new DenseMatrix(rows, cols);
        double[] a = out.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return out;
    }

    /**
     * S itself (m × n), read off S·[I_n | e_1]: the first n columns of the sketch of a matrix whose
     * first n columns are the identity. Valid for every family whose S does not depend on the
     * input's values (all but leverage sampling), since S depends only on n, m and the seed.
     */
    public static DenseMatrix sketchMatrix(Family family, int n, int m, long seed) {
        DenseMatrix id = new DenseMatrix(n, n + 1);
        for (int i = 0; i < n; i++) {
            id.set(i, i, 1.0);
        }
        id.set(0, n, 1.0);
        return family.apply(id, m, seed).leftColumns(n);
    }

    public static DenseMatrix multiply(DenseMatrix a, DenseMatrix b) {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException(a.cols() + " != " + b.rows());
        }
        DenseMatrix out = new DenseMatrix(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int k = 0; k < a.cols(); k++) {
                double v = a.get(i, k);
                if (v == 0) {
                    continue;
                }
                for (int j = 0; j < b.cols(); j++) {
                    out.data()[i * b.cols() + j] += v * b.get(k, j);
                }
            }
        }
        return out;
    }

    public static DenseMatrix transpose(DenseMatrix a) {
        DenseMatrix t = new DenseMatrix(a.cols(), a.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                t.set(j, i, a.get(i, j));
            }
        }
        return t;
    }

    /** max |a − b| / max(1, max |b|). */
    public static double relativeDifference(DenseMatrix a, DenseMatrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new AssertionError("shapes " + a.rows() + "x" + a.cols() + " and " + b.rows() + "x" + b.cols());
        }
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < a.data().length; i++) {
            diff = Math.max(diff, Math.abs(a.data()[i] - b.data()[i]));
            scale = Math.max(scale, Math.abs(b.data()[i]));
        }
        return diff / scale;
    }

    /** [a | b] side by side. */
    public static DenseMatrix hstack(DenseMatrix a, DenseMatrix b) {
        DenseMatrix out = new DenseMatrix(a.rows(), a.cols() + b.cols());
        for (int i = 0; i < a.rows(); i++) {
            System.arraycopy(a.data(), i * a.cols(), out.data(), i * out.cols(), a.cols());
            System.arraycopy(b.data(), i * b.cols(), out.data(), i * out.cols() + a.cols(), b.cols());
        }
        return out;
    }

    /** An n × d matrix with orthonormal columns (Gram–Schmidt, twice, on a Gaussian matrix). */
    public static DenseMatrix orthonormal(int n, int d, long seed) {
        double[][] cols = new double[d][];
        DenseMatrix g = gaussian(n, d, seed);
        for (int j = 0; j < d; j++) {
            double[] v = g.column(j);
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = dot(v, cols[k]);
                    for (int i = 0; i < n; i++) {
                        v[i] -= dot * cols[k][i];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            for (int i = 0; i < n; i++) {
                v[i] /= norm;
            }
            cols[j] = v;
        }
        DenseMatrix u = new DenseMatrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                u.set(i, j, cols[j][i]);
            }
        }
        return u;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** The singular values of a (descending), by Commons Math. */
    public static double[] singularValues(DenseMatrix a) {
        double[][] rows = new double[a.rows()][a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            System.arraycopy(a.data(), i * a.cols(), rows[i], 0, a.cols());
        }
        return new org.apache.commons.math3.linear.SingularValueDecomposition(
                new org.apache.commons.math3.linear.Array2DRowRealMatrix(rows, false)).getSingularValues();
    }

    /** The unnormalised Sylvester Hadamard matrix of order N (a power of two): H[i][j] = (−1)^popcount(i & j). */
    public static double[][] hadamard(int order) {
        double[][] h = new double[order][order];
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < order; j++) {
                h[i][j] = (Integer.bitCount(i & j) & 1) == 0 ? 1.0 : -1.0;
            }
        }
        return h;
    }
}
