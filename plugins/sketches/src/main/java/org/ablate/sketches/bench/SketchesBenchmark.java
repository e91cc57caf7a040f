package org.ablate.sketches.bench;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
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
import org.ablate.spi.Benchmark;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Time to form SA for every family on one Gaussian A (float64), with the machine's own yardsticks
 * measured in the same run: a read of A (the bound for one-pass sparse sketches) and dgemm
 * (the bound for dense Gaussian/Rademacher sketches).
 */
public final class SketchesBenchmark implements Benchmark {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("n").defaultValue(1 << 20).range(1024, 1 << 26).doc("Rows of A."),
            Param.integer("d").defaultValue(64).range(1, 4096).doc("Columns of A (SA also carries b)."),
            Param.integer("m").defaultValue(1024).range(1, 1 << 20).doc("Rows of S."),
            Param.integer("runs").defaultValue(3).range(1, 100).doc("Timed runs per family; the best is reported."),
            Param.integer("s").defaultValue(4).range(1, 64).doc("OSNAP nonzeros per column."));

    @Override
    public void run(Parameters params, PrintWriter out) {
        int n = params.getInt("n");
        int d = params.getInt("d");
        int m = params.getInt("m");
        int repeats = params.getInt("runs");
        SplittableRandom random = new SplittableRandom(1);
        DenseMatrix ab = new DenseMatrix(n, d + 1);
        double[] data = ab.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextGaussian();
        }
        SketchInput input = new SketchInput(ab);
        double gbOfA = data.length * 8.0 / 1e9;

        double read1 = best(repeats, () -> sum(data, 0, data.length));
        double read2 = best(repeats, () -> IntStream.range(0, 2).parallel()
                .mapToDouble(t -> sum(data, t * (data.length / 2), t == 0 ? data.length / 2 : data.length)).sum());
        double squareGflops = gemmGflops(2048, 2048, 2048, repeats);
        int blockCols = org.ablate.sketches.family.DenseBlockSketch.blockColumns(n, m);
        double shapeGflops = gemmGflops(m, blockCols, d + 1, repeats);

        out.printf(Locale.ROOT, "ablate bench sketches: n = %d, d = %d (SA carries b too: %d columns), m = %d, float64, %d cpus%n",
                n, d, d + 1, m, Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  A: %.2f GB. Read baseline: %.2f GB/s on 1 thread, %.2f GB/s on 2%n",
                gbOfA, gbOfA / read1, gbOfA / read2);
        out.printf(Locale.ROOT, "  dgemm: %.1f GFLOP/s at 2048^3; %.1f GFLOP/s at the Gaussian sketch's block shape %dx%dx%d%n",
                squareGflops, shapeGflops, m, blockCols, d + 1);
        long t0 = System.nanoTime();
        input.leverageScores();
        double scoresS = (System.nanoTime() - t0) / 1e9;

        Map<String, Sketch> families = new LinkedHashMap<>();
        families.put("gaussian", new GaussianSketch());
        families.put("rademacher", new RademacherSketch());
        families.put("srht", new SrhtSketch());
        families.put("countsketch", new CountSketch());
        families.put("osnap(s=" + params.getInt("s") + ")", new OsnapSketch(new Parameters(Map.of("s", params.getLong("s")))));
        families.put("leverage", new LeverageSampling());
        families.put("uniform", new UniformSampling());
        Map<String, Double> seconds = new LinkedHashMap<>();
        out.printf(Locale.ROOT, "  %-14s %10s %10s %12s  %s%n", "family", "time (s)", "GB/s of A", "GFLOP/s", "note");
        for (Map.Entry<String, Sketch> e : families.entrySet()) {
            Sketch sketch = e.getValue();
            double s = best(repeats, () -> sketch.apply(input, m, 7).get(0, 0));
            seconds.put(e.getKey(), s);
            boolean gemmBased = e.getKey().equals("gaussian") || e.getKey().equals("rademacher");
            String note = e.getKey().equals("leverage") ? String.format(Locale.ROOT, "+ %.2f s once for the scores (QR)", scoresS) : "";
            out.printf(Locale.ROOT, "  %-14s %10.3f %10.2f %12s  %s%n", e.getKey(), s, gbOfA / s,
                    gemmBased ? String.format(Locale.ROOT, "%.1f", 2.0 * m * n * (d + 1) / s / 1e9) : "-", note);
        }
        double cs = seconds.get("countsketch");
        double os = seconds.get("osnap(s=" + params.getInt("s") + ")");
        double gaussFlops = 2.0 * m * n * (d + 1) / seconds.get("gaussian") / 1e9;
        out.println("  goals:");
        goal(out, "countsketch >= 50% of the 1-thread read baseline", (gbOfA / cs) / (gbOfA / read1));
        goal(out, "osnap >= 50% of the 1-thread read baseline", (gbOfA / os) / (gbOfA / read1));
        out.printf(Locale.ROOT, "    %-52s %6.2fx  %s%n", "srht within 4x of countsketch", seconds.get("srht") / cs,
                seconds.get("srht") / cs <= 4 ? "MET" : "MISSED");
        goal(out, "gaussian >= 70% of dgemm at its block shape", gaussFlops / shapeGflops);
        goal(out, "gaussian >= 70% of dgemm at 2048^3", gaussFlops / squareGflops);
        out.flush();
    }

    private static void goal(PrintWriter out, String what, double fraction) {
        boolean met = what.contains("70%") ? fraction >= 0.7 : fraction >= 0.5;
        out.printf(Locale.ROOT, "    %-52s %5.0f%%  %s%n", what, 100 * fraction, met ? "MET" : "MISSED");
    }

    private static double sum(double[] a, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }

    private static double gemmGflops(int m, int k, int n, int repeats) {
        INDArray a = Nd4j.rand(DataType.DOUBLE, m, k);
        INDArray b = Nd4j.rand(DataType.DOUBLE, k, n);
        INDArray c = Nd4j.create(DataType.DOUBLE, new long[] {m, n}, 'f');
        double s = best(repeats + 1, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0).getDouble(0));
        return 2.0 * m * k * n / s / 1e9;
    }

    /** Results land here so the JIT cannot drop the timed work as dead code. */
    private static volatile double sink;

    /** The best of {@code repeats} timings, in seconds. */
    private static double best(int repeats, java.util.function.DoubleSupplier work) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long t = System.nanoTime();
            sink = work.getAsDouble();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
