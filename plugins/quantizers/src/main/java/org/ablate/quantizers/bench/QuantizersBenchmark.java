package org.ablate.quantizers.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.quantizers.data.FashionMnist;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.model.Autoencoder;
import org.ablate.quantizers.model.Trainer;
import org.ablate.quantizers.quantizer.NearestCode;
import org.ablate.quantizers.quantizer.SimVq;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.Benchmark;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Nearest-code search throughput at growing K, and the Fashion-MNIST autoencoder's training step
 * time and peak memory, next to the machine's sgemm rate measured in the same run.
 */
public final class QuantizersBenchmark implements Benchmark {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("vectors").defaultValue(4096).range(1, 1 << 20).doc("B: vectors searched at once."),
            Param.integer("dim").defaultValue(64).range(1, 1024).doc("d of the search and of the autoencoder's latents."),
            Param.integerList("codebook_sizes").defaultValue(List.of(1024L, 16384L, 65536L, 262144L)).range(2, 1 << 22)
                    .doc("K values for the search."),
            Param.integerList("train_codebook_sizes").defaultValue(List.of(1024L, 16384L)).range(2, 1 << 22)
                    .doc("K values for the training-step measurement."),
            Param.choice("model", "conv", "mlp").defaultValue("conv").doc("Autoencoder architecture."),
            Param.integer("batch_size").defaultValue(128).range(1, 4096).doc("Images per training step."),
            Param.integer("steps").defaultValue(10).range(1, 10_000).doc("Timed training steps (after 3 warm-up steps)."),
            Param.integer("runs").defaultValue(3).range(1, 100).doc("Timed search runs; the best is reported."),
            Param.integer("search_bound").defaultValue(1 << 24).range(1024, 1L << 31).doc("Largest score block of the search."));

    @Override
    public void run(Parameters params, PrintWriter out) {
        int b = params.getInt("vectors");
        int d = params.getInt("dim");
        long bound = params.getLong("search_bound");
        double sgemm = sgemmGflops(2048, params.getInt("runs"));
        out.printf(Locale.ROOT, "ablate bench quantizers: %d cpus, Java %s; sgemm %.1f GFLOP/s at 2048^3%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), sgemm);
        out.printf(Locale.ROOT, "  nearest-code search, B = %d, d = %d, score block <= %,d floats%n", b, d, bound);
        out.printf(Locale.ROOT, "  %10s %12s %14s %10s%n", "K", "time (ms)", "vectors/s", "GFLOP/s");
        SplittableRandom random = new SplittableRandom(3);
        INDArray z = gaussian(b, d, random);
        for (long k : params.getLongList("codebook_sizes")) {
            INDArray codebook = gaussian((int) k, d, random);
            INDArray augmented = NearestCode.augment(codebook);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < params.getInt("runs") + 1; r++) {
                long t = System.nanoTime();
                NearestCode.searchAugmented(z, augmented, bound);
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            out.printf(Locale.ROOT, "  %10d %12.1f %14.0f %10.1f%n", k, best * 1e3, b / best, 2.0 * b * k * (d + 1) / best / 1e9);
            codebook.close();
            augmented.close();
        }
        out.printf(Locale.ROOT, "  training step, Fashion-MNIST, %s autoencoder, batch %d, d = %d (median of %d steps)%n",
                params.getString("model"), params.getInt("batch_size"), d, params.getInt("steps"));
        out.printf(Locale.ROOT, "  %-8s %8s %12s %14s %16s%n", "quantizer", "K", "step (ms)", "JVM heap peak", "process RSS peak");
        ImageDataset train = FashionMnist.load("train", 8192);
        for (long k : params.getLongList("train_codebook_sizes")) {
            for (Map.Entry<String, Quantizer> q : Map.of("vq", (Quantizer) new VanillaVq(), "simvq", new SimVq()).entrySet()) {
                trainingStep(out, q.getKey(), q.getValue(), (int) k, d, params, train, bound);
            }
        }
        out.flush();
    }

    private static void trainingStep(PrintWriter out, String name, Quantizer family, int k, int d, Parameters params,
                                     ImageDataset train, long bound) {
        QuantizerSetup setup = new QuantizerSetup(d, k, 0.25, 1e-3, 1, bound);
        Parameters familyParams = name.equals("simvq")
                ? new Parameters(Map.of("train_codebook", false, "w", "full", "bias", true, "codebook_init", "gaussian"))
                : new Parameters(Map.of());
        QuantizerState state = family.create(setup, familyParams);
        Autoencoder model = Autoencoder.build(Autoencoder.Architecture.valueOf(params.getString("model").toUpperCase(Locale.ROOT)),
                d, state, 0.25, 1);
        Trainer trainer = new Trainer(model, state, 1e-3);
        int batch = params.getInt("batch_size");
        int steps = params.getInt("steps");
        SplittableRandom random = new SplittableRandom(5);
        resetPeaks();
        long rssPeak = 0;
        double[] ms = new double[steps];
        for (int s = -3; s < steps; s++) {
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                idx[i] = random.nextInt(train.count());
            }
            INDArray x = train.batch(idx);
            long t = System.nanoTime();
            trainer.step(x);
            if (s >= 0) {
                ms[s] = (System.nanoTime() - t) / 1e6;
            }
            x.close();
            rssPeak = Math.max(rssPeak, Pointer.physicalBytes());
        }
        java.util.Arrays.sort(ms);
        out.printf(Locale.ROOT, "  %-8s %8d %12.1f %11.0f MB %13.0f MB%n", name, k, ms[steps / 2], heapPeak() / 1e6, rssPeak / 1e6);
    }

    private static INDArray gaussian(int rows, int cols, SplittableRandom random) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    private static double sgemmGflops(int n, int runs) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, 'f');
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs + 1; r++) {
            long t = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
