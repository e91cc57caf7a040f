package org.ablate.quantizers.bench;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.ablate.quantizers.data.FashionMnist;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.model.Autoencoder;
import org.ablate.quantizers.model.StepPhases;
import org.ablate.quantizers.model.Trainer;
import org.ablate.quantizers.quantizer.NearestCode;
import org.ablate.quantizers.quantizer.SearchBuffers;
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
 * Nearest-code search throughput at growing K (and its share of the sgemm rate measured in the same
 * run), the Fashion-MNIST autoencoder's training step time per quantizer and K, and steady-state
 * memory over many steps — each next to the PyTorch twin's same computation ({@link TorchPeer})
 * when a python with torch is found.
 */
public final class QuantizersBenchmark implements Benchmark {

    static final List<String> QUANTIZERS = List.of("vq", "simvq");
    private static final int WARM_UP = 3;

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("vectors").defaultValue(4096).range(1, 1 << 20).doc("B: vectors searched at once."),
            Param.integer("dim").defaultValue(64).range(1, 1024).doc("d of the search and of the autoencoder's latents."),
            Param.integerList("codebook_sizes").defaultValue(List.of(1024L, 16384L, 65536L, 262144L)).range(2, 1 << 22)
                    .doc("K values for the search."),
            Param.integerList("train_codebook_sizes").defaultValue(List.of(1024L, 16384L)).range(2, 1 << 22)
                    .doc("K values for the training-step measurement."),
            Param.choice("model", "conv", "mlp").defaultValue("conv").doc("Autoencoder architecture (the peer times conv only)."),
            Param.integer("batch_size").defaultValue(128).range(1, 4096).doc("Images per training step."),
            Param.integer("steps").defaultValue(10).range(1, 10_000).doc("Timed training steps (after 3 warm-up steps)."),
            Param.integer("runs").defaultValue(3).range(1, 100).doc("Timed search runs; the best is reported."),
            Param.integer("search_bound").defaultValue(1 << 24).range(1024, 1L << 31).doc("Largest score block of the search."),
            Param.choice("peer", "auto", "off").defaultValue("auto")
                    .doc("auto: also run the PyTorch peer when a python with torch is found; off: never."),
            Param.integer("memory_steps").defaultValue(500).range(0, 1_000_000)
                    .doc("Steps of the steady-state memory measurement after warm-up (0: skip it)."),
            Param.integer("memory_warmup").defaultValue(100).range(0, 1_000_000)
                    .doc("Steps run before the memory measurement's first reading (native caches fill in the first tens)."),
            Param.choice("memory_quantizer", "vq", "simvq").defaultValue("simvq").doc("Quantizer of the memory measurement."),
            Param.integer("memory_codebook_size").defaultValue(1024).range(2, 1 << 22).doc("K of the memory measurement."));

    private final FashionMnist fashionMnist;

    @Inject
    public QuantizersBenchmark(FashionMnist fashionMnist) {
        this.fashionMnist = fashionMnist;
    }

    @Override
    public void run(Parameters params, PrintWriter out) throws Exception {
        int b = params.getInt("vectors");
        int d = params.getInt("dim");
        long bound = params.getLong("search_bound");
        int threads = Nd4j.getEnvironment().maxThreads();
        String build = System.getProperty("org.bytedeco.javacpp.platform.extension", "");
        double[] rates = sgemmGflops(2048, params.getInt("runs"));
        double sgemm = Math.max(rates[0], rates[1]);
        out.printf(Locale.ROOT, "ablate bench quantizers: %d cpus, Java %s, ND4J %s build on %d threads; sgemm %.1f GFLOP/s at 2048^3 (Nd4j.gemm; row-major output %.1f, column-major %.1f)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                build.isEmpty() ? "plain" : build.substring(1), threads, sgemm, rates[0], rates[1]);
        out.flush();
        TorchPeer.Result peer = peer(params, threads, out);
        if (peer != null && peer.sgemmGflops() < 0.25 * sgemm) {
            // Debian's python3-torch calls the system libblas.so.3, the reference BLAS unless an
            // optimised one provides it: the peer's matrix products would be a straw man
            out.printf(Locale.ROOT, "  warning: the peer's sgemm is %.0f%% of ND4J's: its torch uses a slow BLAS; on Debian `%s`%n",
                    100 * peer.sgemmGflops() / sgemm, TorchPeer.FAST_BLAS_HINT);
        }

        out.printf(Locale.ROOT, "  nearest-code search, B = %d, d = %d, score block <= %,d floats (best of %d)%n",
                b, d, bound, params.getInt("runs"));
        out.printf(Locale.ROOT, "  %10s %12s %10s %9s %12s %12s%n", "K", "ablate (ms)", "GFLOP/s", "% sgemm", "peer (ms)", "ablate/peer");
        SplittableRandom random = new SplittableRandom(3);
        INDArray z = gaussian(b, d, random);
        for (long k : params.getLongList("codebook_sizes")) {
            INDArray codebook = gaussian((int) k, d, random);
            INDArray augmented = NearestCode.augment(codebook);
            double best = Double.MAX_VALUE;
            SearchBuffers buffers = new SearchBuffers(); // as a quantizer keeps them from step to step
            for (int r = 0; r < params.getInt("runs") + 1; r++) {
                long t = System.nanoTime();
                NearestCode.searchAugmented(z, augmented, bound, buffers);
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            double gflops = 2.0 * b * k * (d + 1) / best / 1e9;
            double peerMs = peer == null ? Double.NaN : peer.search(k);
            out.printf(Locale.ROOT, "  %10d %12.1f %10.1f %8.0f%% %12s %12s%n", k, best * 1e3, gflops, 100 * gflops / sgemm,
                    ms(peerMs), ratio(best * 1e3, peerMs));
            out.flush();
            buffers.close();
            codebook.close();
            augmented.close();
        }
        z.close();

        String model = params.getString("model");
        int batch = params.getInt("batch_size");
        int steps = params.getInt("steps");
        out.printf(Locale.ROOT, "  training step, Fashion-MNIST, %s autoencoder, batch %d, d = %d (median of %d steps after %d warm-up)%n",
                model, batch, d, steps, WARM_UP);
        out.printf(Locale.ROOT, "  %-8s %8s %12s %10s %12s %14s %16s%n", "quantizer", "K", "ablate (ms)", "peer (ms)", "ablate/peer",
                "JVM heap peak", "process RSS peak");
        ImageDataset train = fashionMnist.load("train", 8192);
        List<String> phaseRows = new ArrayList<>();
        for (long k : params.getLongList("train_codebook_sizes")) {
            for (String q : QUANTIZERS) {
                Trainer trainer = trainer(q, (int) k, d, model, bound);
                SplittableRandom batches = new SplittableRandom(5);
                steps(trainer, train, batch, WARM_UP, batches);
                trainer.phases().reset();
                resetPeaks();
                long[] rssPeak = {0};
                double[] timed = steps(trainer, train, batch, steps, batches, rssPeak);
                java.util.Arrays.sort(timed);
                double median = timed[steps / 2];
                double peerMs = peer == null ? Double.NaN : peer.step(q, k);
                out.printf(Locale.ROOT, "  %-8s %8d %12.1f %10s %12s %11.0f MB %13.0f MB%n", q, k, median, ms(peerMs),
                        ratio(median, peerMs), heapPeak() / 1e6, rssPeak[0] / 1e6);
                out.flush();
                phaseRows.add(phaseRow(q, k, trainer.phases()));
            }
        }
        out.printf(Locale.ROOT, "  where the step goes (mean ms per step, share of the phases' sum)%n");
        out.printf(Locale.ROOT, "  %-8s %8s %16s %16s %16s %16s%n", "quantizer", "K", "encoder", "search", "fit (fwd+bwd)",
                "codebook update");
        phaseRows.forEach(out::println);
        if (params.getInt("memory_steps") > 0) {
            memory(out, params, train, bound);
        }
        out.flush();
    }

    /** Runs the peer, or says why not (and how to get it); null when it did not run. */
    private static TorchPeer.Result peer(Parameters params, int threads, PrintWriter out) {
        if (params.getString("peer").equals("off")) {
            out.println("  PyTorch peer: off (peer=off)");
            return null;
        }
        Optional<TorchPeer> found = TorchPeer.find();
        if (found.isEmpty()) {
            out.printf(Locale.ROOT, "  PyTorch peer: not run, no python with torch found (tried %s); install it with `%s`%n",
                    TorchPeer.candidatesTried(), TorchPeer.INSTALL_HINT);
            return null;
        }
        if (!params.getString("model").equals("conv")) {
            out.println("  PyTorch peer: times the conv autoencoder only; its step times are for model=conv");
        }
        List<String> args = new ArrayList<>(List.of(
                "--dim", Integer.toString(params.getInt("dim")),
                "--vectors", Integer.toString(params.getInt("vectors")),
                "--search-ks", join(params.getLongList("codebook_sizes")),
                "--train-ks", join(params.getLongList("train_codebook_sizes")),
                "--batch", Integer.toString(params.getInt("batch_size")),
                "--steps", Integer.toString(params.getInt("steps")),
                "--runs", Integer.toString(params.getInt("runs")),
                "--bound", Long.toString(params.getLong("search_bound"))));
        try {
            TorchPeer.Result r = found.get().run(threads, args, 3600);
            out.printf(Locale.ROOT, "  PyTorch peer: %s (%s, %s, CPU), same run; its sgemm %.1f GFLOP/s at 2048^3 (torch.mm)%n",
                    found.get().python(), r.version(), TorchPeer.SCRIPT, r.sgemmGflops());
            return r;
        } catch (java.io.IOException | TorchPeer.PeerFailedException e) {
            out.println("  PyTorch peer: failed, carrying on without it: " + e.getMessage());
            return null;
        }
    }

    /** Heap and RSS after warm-up and after memory_steps more steps: growth shows a leak. */
    private static void memory(PrintWriter out, Parameters params, ImageDataset train, long bound) {
        String q = params.getString("memory_quantizer");
        int k = params.getInt("memory_codebook_size");
        int n = params.getInt("memory_steps");
        int warmUp = params.getInt("memory_warmup");
        Trainer trainer = trainer(q, k, params.getInt("dim"), params.getString("model"), bound);
        SplittableRandom batches = new SplittableRandom(7);
        steps(trainer, train, params.getInt("batch_size"), warmUp, batches);
        long heap0 = heapAfterGc();
        long rss0 = Pointer.physicalBytes();
        resetPeaks();
        long[] rssPeak = {rss0};
        steps(trainer, train, params.getInt("batch_size"), n, batches, rssPeak);
        long heapPeak = heapPeak();
        long heap1 = heapAfterGc();
        long rss1 = Pointer.physicalBytes();
        out.printf(Locale.ROOT, "  steady-state memory, %s K = %d: after %d warm-up steps and after %d more (each after a full GC)%n",
                q, k, warmUp, n);
        out.printf(Locale.ROOT, "  %-12s %14s %14s %9s %12s%n", "", "after warm-up", "after " + n, "growth", "peak");
        out.printf(Locale.ROOT, "  %-12s %11.0f MB %11.0f MB %8.1f%% %9.0f MB%n", "JVM heap", heap0 / 1e6, heap1 / 1e6,
                100.0 * (heap1 - heap0) / heap0, heapPeak / 1e6);
        out.printf(Locale.ROOT, "  %-12s %11.0f MB %11.0f MB %8.1f%% %9.0f MB%n", "process RSS", rss0 / 1e6, rss1 / 1e6,
                100.0 * (rss1 - rss0) / rss0, rssPeak[0] / 1e6);
    }

    private static Trainer trainer(String name, int k, int d, String model, long bound) {
        QuantizerSetup setup = new QuantizerSetup(d, k, 0.25, 1e-3, 1, bound);
        Quantizer family = name.equals("simvq")
                ? new SimVq(new Parameters(Map.of("train_codebook", false, "w", "full", "bias", true, "codebook_init", "gaussian")))
                : new VanillaVq();
        QuantizerState state = family.create(setup);
        Autoencoder ae = Autoencoder.build(Autoencoder.Architecture.valueOf(model.toUpperCase(Locale.ROOT)), d, state, 0.25, 1);
        return new Trainer(ae, state, 1e-3);
    }

    private static void steps(Trainer trainer, ImageDataset train, int batch, int count, SplittableRandom random) {
        steps(trainer, train, batch, count, random, new long[1]);
    }

    /** Runs measured steps (as the task's logged ones) and returns each one's milliseconds. */
    private static double[] steps(Trainer trainer, ImageDataset train, int batch, int count, SplittableRandom random,
                                  long[] rssPeak) {
        double[] ms = new double[count];
        for (int s = 0; s < count; s++) {
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                idx[i] = random.nextInt(train.count());
            }
            INDArray x = train.batch(idx);
            long t = System.nanoTime();
            trainer.step(x);
            ms[s] = (System.nanoTime() - t) / 1e6;
            x.close();
            rssPeak[0] = Math.max(rssPeak[0], Pointer.physicalBytes());
        }
        return ms;
    }

    private static String phaseRow(String q, long k, StepPhases phases) {
        Map<StepPhases.Phase, Double> ms = phases.millisPerStep();
        double sum = ms.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-8s %8d", q, k));
        for (StepPhases.Phase p : StepPhases.Phase.values()) {
            row.append(String.format(Locale.ROOT, " %9.1f (%3.0f%%)", ms.get(p), 100 * ms.get(p) / sum));
        }
        return row.toString();
    }

    private static String join(List<Long> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double ablate, double peer) {
        return Double.isNaN(peer) ? "-" : String.format(Locale.ROOT, "%.2fx", ablate / peer);
    }

    private static INDArray gaussian(int rows, int cols, SplittableRandom random) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /**
     * The machine's sgemm rate through Nd4j.gemm at n³: the better of a row-major and a
     * column-major output (here the row-major one runs about twice as fast; the search uses it).
     */
    private static double[] sgemmGflops(int n, int runs) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        double[] rates = new double[2];
        char[] orders = {'c', 'f'};
        for (int o = 0; o < 2; o++) {
            INDArray c = Nd4j.create(DataType.FLOAT, new long[] {n, n}, orders[o]);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < runs + 1; r++) {
                long t = System.nanoTime();
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                best = Math.min(best, (System.nanoTime() - t) / 1e9);
            }
            c.close();
            rates[o] = 2.0 * n * n * n / best / 1e9;
        }
        a.close();
        b.close();
        return rates;
    }

    /**
     * Heap in use after a full collection; also lets ND4J free the native arrays only the
     * collector releases (their deallocators run on a reference thread), so RSS read next is what
     * stays allocated, not garbage not yet collected.
     */
    private static long heapAfterGc() {
        System.gc();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
