package org.ablate.quantizers.task;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.quantizers.data.FashionMnist;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.data.SyntheticImages;
import org.ablate.quantizers.metrics.CodebookUsage;
import org.ablate.quantizers.metrics.ImageArtifacts;
import org.ablate.quantizers.model.Autoencoder;
import org.ablate.quantizers.model.TrainStep;
import org.ablate.quantizers.model.Trainer;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.quantizers.twin.TorchTwin;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a VQ autoencoder on images and measures codebook health: per step (every
 * {@code log_every}) the losses, distinct codes in the batch, batch perplexity and the codebook
 * rows the update changed; at evaluations (every {@code eval_every}, and at the end) utilisation,
 * perplexity, MSE, PSNR, SSIM as {@code eval/*} on the test split or its first {@code eval_subset}
 * images, plus the quantizer's own diagnostics; at the end also {@code test/*} and the summary on the
 * whole test split.
 */
public final class VqAutoencoderTask implements Task {

    /** What {@link #run} and {@link #logStep} log; a quantizer's diagnostics must be in Evaluation.METRICS. */
    public static final MetricSchema METRICS = MetricSchema
            .summary(java.util.stream.Stream.concat(Evaluation.METRICS.stream(), java.util.stream.Stream.of(
                    "codebook_size", "test_images", "train_loss_recon", "train_loss_codebook", "seconds_per_step"))
                    .toArray(String[]::new))
            .steps(java.util.stream.Stream.concat(java.util.stream.Stream.of(
                    "train/loss_recon", "train/loss_codebook", "train/loss_commit", "train/loss_entropy",
                    "train/codes_in_batch", "train/perplexity", "train/rows_changed"),
                    java.util.stream.Stream.of("eval/", "test/").flatMap(p -> Evaluation.METRICS.stream().map(m -> p + m)))
                    .toArray(String[]::new));

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.choice("dataset", "fashion-mnist", "synthetic").defaultValue("fashion-mnist")
                    .doc("fashion-mnist (Debian package dataset-fashion-mnist) or a seeded Gaussian mixture."),
            Param.integer("train_subset").defaultValue(0).range(0, 60_000).doc("Training images used (0: all)."),
            Param.integer("test_subset").defaultValue(2_000).range(0, 10_000).doc("Test images evaluated (0: all)."),
            Param.choice("model", "conv", "mlp").defaultValue("conv").doc("Encoder/decoder architecture."),
            Param.component("quantizer", Quantizer.class).defaultValue("vq").doc("The quantizer family."),
            Param.integer("latent_dim").defaultValue(32).range(2, 1024).doc("d: size of each of the 49 latent tokens."),
            Param.integer("codebook_size").defaultValue(1024).range(2, 1 << 20).doc("K: number of codes."),
            Param.real("beta").defaultValue(0.25).range(0, 100).doc("Weight of the encoder commitment term."),
            Param.integer("steps").defaultValue(1000).range(1, 10_000_000).doc("Optimisation steps."),
            Param.integer("batch_size").defaultValue(128).range(1, 4096).doc("Images per step."),
            Param.real("lr").defaultValue(1e-3).range(1e-7, 1).doc("Adam learning rate (network and codebook)."),
            Param.integer("log_every").defaultValue(10).range(1, 1_000_000).doc("Steps between training metric points."),
            Param.integer("eval_every").defaultValue(0).range(0, 10_000_000).doc("Steps between evaluations (0: only at the end)."),
            Param.integer("eval_subset").defaultValue(0).range(0, 10_000)
                    .doc("Test images of the eval/* evaluations, the last one included (0: all); test/* and the summary use the whole test split."),
            Param.integer("search_bound").defaultValue(1 << 24).range(1024, 1L << 31)
                    .doc("Largest tokens × codes block the nearest-code search holds."),
            // added after trials were recorded: at their defaults they stay out of trial ids
            Param.choice("implementation", "ablate", "torch").defaultValue("ablate").identityOmitsDefault()
                    .doc("ablate: this plugin (ND4J); torch: its PyTorch twin (python3 -m ablate_vq_torch; needs "
                            + "python3-torch), the same networks, quantizers, data and metrics."),
            Param.choice("device", "auto", "cpu", "cuda").defaultValue("auto").identityOmitsDefault()
                    .doc("Where the torch twin runs (auto: CUDA when PyTorch sees a GPU). The ablate implementation "
                            + "runs on ND4J's backend (the CPU unless built with -Pcuda) and refuses cuda."));

    private final FashionMnist fashionMnist;

    @Inject
    public VqAutoencoderTask(FashionMnist fashionMnist) {
        this.fashionMnist = fashionMnist;
    }

    @Override
    public Map<String, Double> run(TrialContext ctx) throws Exception {
        Parameters p = ctx.params();
        if (p.getString("implementation").equals("torch")) {
            return TorchTwin.run(ctx);
        }
        if (p.getString("device").equals("cuda")) {
            throw new IllegalArgumentException("device: cuda needs implementation: torch (the ablate implementation runs on"
                    + " ND4J's backend, CUDA only when built with -Pcuda; accepted with it: auto, cpu)");
        }
        ImageDataset train;
        ImageDataset test;
        if (p.getString("dataset").equals("fashion-mnist")) {
            train = fashionMnist.load("train", p.getInt("train_subset"));
            test = fashionMnist.load("test", p.getInt("test_subset"));
        } else {
            int trainCount = p.getInt("train_subset") == 0 ? 4096 : p.getInt("train_subset");
            int testCount = p.getInt("test_subset") == 0 ? 1024 : p.getInt("test_subset");
            train = SyntheticImages.generate(trainCount, 10, ctx.seed("synthetic-train"));
            test = SyntheticImages.generate(testCount, 10, ctx.seed("synthetic-test"));
        }
        QuantizerSetup setup = new QuantizerSetup(p.getInt("latent_dim"), p.getInt("codebook_size"), p.getDouble("beta"),
                p.getDouble("lr"), ctx.seed("codebook"), p.getLong("search_bound"));
        QuantizerState quantizer = ctx.component("quantizer", Quantizer.class).create(setup);
        Autoencoder model = Autoencoder.build(Autoencoder.Architecture.valueOf(p.getString("model").toUpperCase(Locale.ROOT)),
                setup.latentDim(), quantizer, setup.beta(), ctx.seed("model"));
        Trainer trainer = new Trainer(model, quantizer, p.getDouble("lr"));

        long steps = p.getLong("steps");
        int batchSize = p.getInt("batch_size");
        int logEvery = p.getInt("log_every");
        int evalEvery = p.getInt("eval_every");
        // Utilisation over n tokens cannot exceed n / K, so the final evaluation sees the whole test
        // split while the cheaper ones along the way may use its first eval_subset images.
        ImageDataset during = p.getInt("eval_subset") == 0 ? test : test.subset(p.getInt("eval_subset"));
        BatchOrder order = new BatchOrder(train.count(), batchSize, ctx.random("batches"));
        ctx.progress().total(steps);
        TrainStep last = null;
        long started = System.nanoTime();
        for (long step = 1; step <= steps; step++) {
            ctx.cancellation().throwIfCancelled();
            boolean logNow = step == 1 || step % logEvery == 0 || step == steps;
            INDArray x = train.batch(order.next());
            last = trainer.step(x, logNow);
            x.close();
            if (logNow) {
                logStep(ctx, step, last, quantizer.codebookSize());
                ctx.progress().message(String.format(Locale.ROOT, "recon %.4f", last.reconLoss()));
            }
            if (evalEvery > 0 && step % evalEvery == 0 && step < steps) {
                Evaluation.run(trainer, during).metrics().forEach((k, v) -> ctx.metrics().log(trainer.steps(), "eval/" + k, v));
            }
            ctx.progress().update(step);
        }
        double secondsPerStep = (System.nanoTime() - started) / 1e9 / steps;
        Evaluation.Result result = Evaluation.run(trainer, test);
        // eval/* is one measure from start to end (the evaluation subset, at the last step too), so a
        // curve never jumps where the test set grows; the whole split goes to test/* and the summary
        Map<String, Double> atEnd = during == test ? result.metrics() : Evaluation.run(trainer, during).metrics();
        atEnd.forEach((k, v) -> ctx.metrics().log(trainer.steps(), "eval/" + k, v));
        result.metrics().forEach((k, v) -> ctx.metrics().log(trainer.steps(), "test/" + k, v));
        writeArtifacts(ctx, trainer, test, result.usage());

        Map<String, Double> summary = new LinkedHashMap<>(result.metrics());
        summary.put("codebook_size", (double) quantizer.codebookSize());
        summary.put("test_images", (double) test.count());
        summary.put("train_loss_recon", last.reconLoss()); // the last step is always measured
        summary.put("train_loss_codebook", last.codebookLoss());
        summary.put("seconds_per_step", secondsPerStep);
        return summary;
    }

    private static void logStep(TrialContext ctx, long step, TrainStep s, int k) {
        CodebookUsage batch = CodebookUsage.of(s.indices(), k);
        var m = ctx.metrics();
        m.log(step, "train/loss_recon", s.reconLoss());
        m.log(step, "train/loss_codebook", s.codebookLoss());
        m.log(step, "train/loss_commit", s.commitLoss());
        if (s.extraLoss() != 0) {
            m.log(step, "train/loss_entropy", s.extraLoss());
        }
        m.log(step, "train/codes_in_batch", batch.distinctCodes());
        m.log(step, "train/perplexity", batch.perplexity());
        if (s.rowsChanged() >= 0) {
            m.log(step, "train/rows_changed", s.rowsChanged());
        }
    }

    private static void writeArtifacts(TrialContext ctx, Trainer trainer, ImageDataset test, CodebookUsage usage)
            throws java.io.IOException {
        int shown = Math.min(8, test.count());
        int[] idx = new int[shown];
        for (int i = 0; i < shown; i++) {
            idx[i] = i;
        }
        INDArray x = test.batch(idx);
        Trainer.Reconstruction r = trainer.reconstruct(x);
        float[] originals = x.data().asFloat();
        float[] recon = r.images().dup('c').data().asFloat();
        ctx.metrics().artifact("reconstructions.png", out -> ImageArtifacts.writeReconstructionGrid(originals, recon,
                test.height(), test.width(), shown, 3, out));
        ctx.metrics().artifact("code_usage.png", out -> ImageArtifacts.writeCodeUsageChart(usage.counts(),
                "Code usage on the test split (K = " + usage.codebookSize() + ")", out));
        x.close();
        r.images().close();
    }

    /** Mini-batches drawn without replacement within each epoch, in a seeded order. */
    static final class BatchOrder {
        private final int count;
        private final int batch;
        private final SplittableRandom random;
        private int[] permutation;
        private int position;

        BatchOrder(int count, int batch, SplittableRandom random) {
            this.count = count;
            this.batch = batch;
            this.random = random;
            reshuffle();
        }

        int[] next() {
            int[] out = new int[batch];
            for (int i = 0; i < batch; i++) {
                if (position == count) {
                    reshuffle();
                }
                out[i] = permutation[position++];
            }
            return out;
        }

        private void reshuffle() {
            permutation = new int[count];
            for (int i = 0; i < count; i++) {
                permutation[i] = i;
            }
            for (int i = count - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = t;
            }
            position = 0;
        }
    }
}
