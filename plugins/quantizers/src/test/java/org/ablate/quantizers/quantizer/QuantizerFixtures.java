package org.ablate.quantizers.quantizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.Parameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Quantizers with every declared parameter of their family's schema, small seeded arrays, and
 * double-precision copies for hand computations. Shared by the quantizer, model and task tests.
 */
public final class QuantizerFixtures {

    /** Adam's defaults in ND4J (and PyTorch): its first step moves a coordinate by lr·g / (|g| + ε/√(1−β₂)). */
    public static final double ADAM_BETA2 = 0.999;
    public static final double ADAM_EPSILON = 1e-8;

    private QuantizerFixtures() {
    }

    public static QuantizerSetup setup(int d, int k, double beta, double lr, long seed) {
        return new QuantizerSetup(d, k, beta, lr, seed, 1L << 24);
    }

    public static Parameters simvqParams(boolean trainCodebook, String w, boolean bias, String init) {
        return new Parameters(Map.of("train_codebook", trainCodebook, "w", w, "bias", bias, "codebook_init", init));
    }

    public static Parameters fcParams(long lookupDim) {
        return new Parameters(Map.of("lookup_dim", lookupDim));
    }

    public static Parameters emaParams(double decay, double epsilon, double deadThreshold) {
        return new Parameters(Map.of("decay", decay, "epsilon", epsilon, "dead_threshold", deadThreshold));
    }

    public static Parameters fsqParams(long... levels) {
        List<Long> l = new java.util.ArrayList<>();
        for (long v : levels) {
            l.add(v);
        }
        return new Parameters(Map.of("levels", List.copyOf(l)));
    }

    public static Parameters lfqParams(double entropyWeight) {
        return lfqParams(entropyWeight, Lfq.JOINT);
    }

    public static Parameters lfqParams(double entropyWeight, String entropy) {
        return new Parameters(Map.of("entropy_weight", entropyWeight, "entropy", entropy));
    }

    /** Every family (and every SimVQ option) by a readable name, for parameterised checks. */
    public static Map<String, QuantizerState> allFamilies(int d, int k, long seed) {
        QuantizerSetup s = setup(d, k, 0.25, 1e-2, seed);
        Map<String, QuantizerState> out = new LinkedHashMap<>();
        out.put("vq", new VanillaVq().create(s));
        for (boolean train : new boolean[] {false, true}) {
            for (String w : new String[] {"full", "diagonal"}) {
                for (boolean bias : new boolean[] {true, false}) {
                    for (String init : new String[] {"gaussian", "uniform"}) {
                        out.put("simvq(train_codebook=" + train + ", w=" + w + ", bias=" + bias + ", init=" + init + ")",
                                new SimVq(simvqParams(train, w, bias, init)).create(s));
                    }
                }
            }
        }
        out.put("vq-fc", new FactorizedVq(fcParams(3)).create(s));
        out.put("vq-ema", new EmaVq(emaParams(0.9, 1e-5, 0.0)).create(s));
        out.put("vq-ema(dead_threshold=0.5)", new EmaVq(emaParams(0.9, 1e-5, 0.5)).create(s));
        return out;
    }

    /** A float [n, d] array of N(0, std²) entries. */
    public static INDArray gaussian(int n, int d, double std, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return Nd4j.create(v, new long[] {n, d}, 'c');
    }

    public static double[][] toDouble(INDArray a) {
        INDArray c = a.castTo(DataType.DOUBLE).dup('c');
        int rows = (int) c.rows();
        int cols = (int) c.columns();
        double[] flat = c.data().asDouble();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    public static INDArray toFloat(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        float[] v = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = (float) a[i][j];
            }
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /** The raw float values, row-major: for bit-exact comparisons. */
    public static float[] bits(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public static float[][] rows(INDArray a) {
        INDArray c = a.castTo(DataType.FLOAT).dup('c');
        int rows = (int) c.rows();
        int cols = (int) c.columns();
        float[] flat = c.data().asFloat();
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /** Smallest distance between two different rows. */
    public static double minRowDistance(double[][] c) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.length; i++) {
            for (int j = i + 1; j < c.length; j++) {
                best = Math.min(best, Math.sqrt(squaredDistance(c[i], c[j])));
            }
        }
        return best;
    }

    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    /**
     * Tokens next to chosen codebook rows: row i is codebook[codes[i]] plus a random offset of length
     * {@code relative} × (smallest distance between codes), so with relative < 0.5 its nearest code is codes[i].
     */
    public static INDArray near(double[][] codebook, int[] codes, double relative, long seed) {
        double radius = relative * minRowDistance(codebook);
        Random r = new Random(seed);
        int d = codebook[0].length;
        double[][] z = new double[codes.length][d];
        for (int i = 0; i < codes.length; i++) {
            double[] g = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                g[j] = r.nextGaussian();
                norm += g[j] * g[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                z[i][j] = codebook[codes[i]][j] + radius * g[j] / norm;
            }
        }
        return toFloat(z);
    }

    /** Tokens at codebook rows plus independent N(0, std²) offsets per value (std far below the code spacing). */
    public static INDArray offset(double[][] codebook, int[] codes, double std, long seed) {
        Random r = new Random(seed);
        int d = codebook[0].length;
        double[][] z = new double[codes.length][d];
        for (int i = 0; i < codes.length; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = codebook[codes[i]][j] + std * r.nextGaussian();
            }
        }
        return toFloat(z);
    }

    /** What ND4J's Adam moves a parameter by on its first step for gradient g (subtracted from the parameter). */
    public static double adamFirstStep(double g, double lr) {
        return lr * g / (Math.abs(g) + ADAM_EPSILON / Math.sqrt(1 - ADAM_BETA2));
    }

    /** {@code ∂L/∂(q_i)} of L = mean((q − z)²) over N × D values, in double. */
    public static double[][] perToken(double[][] q, double[][] z) {
        int n = q.length;
        int d = q[0].length;
        double[][] g = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                g[i][j] = 2 * (q[i][j] - z[i][j]) / (n * d);
            }
        }
        return g;
    }

    /** Per-code sums of per-token rows: the exact gradient of a gather over duplicate indices. */
    public static double[][] scatter(double[][] perToken, int[] idx, int k) {
        double[][] out = new double[k][perToken[0].length];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < perToken[0].length; j++) {
                out[idx[i]][j] += perToken[i][j];
            }
        }
        return out;
    }

    public static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** Fails with the first differing entry when |actual − expected| > tol anywhere. */
    public static void assertClose(double[][] expected, double[][] actual, double tol, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i].length, actual[i].length, what + ": columns");
            for (int j = 0; j < expected[i].length; j++) {
                if (!(Math.abs(expected[i][j] - actual[i][j]) <= tol)) {
                    org.junit.jupiter.api.Assertions.fail(what + " differs at [" + i + "][" + j + "]: expected "
                            + expected[i][j] + ", got " + actual[i][j] + " (tolerance " + tol + ")");
                }
            }
        }
    }

    public static double[][] minus(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] - b[i][j];
            }
        }
        return out;
    }

    /** a · bᵀ for a [n, m], b [p, m]. */
    public static double[][] timesTransposed(double[][] a, double[][] b) {
        double[][] out = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double s = 0;
                for (int t = 0; t < a[0].length; t++) {
                    s += a[i][t] * b[j][t];
                }
                out[i][j] = s;
            }
        }
        return out;
    }
}
