package org.ablate.quantizers.task;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.metrics.CodebookUsage;
import org.ablate.quantizers.metrics.ImageQuality;
import org.ablate.quantizers.model.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Codebook health and reconstruction quality over a whole split: utilisation (fraction of the K
 * codes used at least once over every token of the split), perplexity, perplexity / K, MSE, PSNR and
 * SSIM. "Used once" is lenient over many tokens (490,000 in Fashion-MNIST's test split); perplexity / K
 * is the fraction of the codebook that an even usage of the same entropy would take.
 */
final class Evaluation {

    static final int BATCH = 500;
    /** Every name {@link #run} returns: its own five and the quantizers' diagnostics (SimVQ's rank of W). */
    static final java.util.List<String> METRICS = java.util.List.of("utilization", "perplexity", "perplexity_fraction", "mse", "psnr", "ssim",
            "w_effective_rank");

    private Evaluation() {
    }

    /** The metrics, and the split's code usage (for the usage plot). */
    record Result(Map<String, Double> metrics, CodebookUsage usage) {
    }

    static Result run(Trainer trainer, ImageDataset split) {
        CodebookUsage usage = new CodebookUsage(trainer.quantizer().codebookSize());
        double sse = 0;
        double psnrSum = 0;
        double ssimSum = 0;
        int images = 0;
        for (int start = 0; start < split.count(); start += BATCH) {
            int size = Math.min(BATCH, split.count() - start);
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) {
                idx[i] = start + i;
            }
            INDArray x = split.batch(idx);
            Trainer.Reconstruction r = trainer.reconstruct(x);
            usage.add(r.indices());
            sse += ImageQuality.mse(x, r.images()) * size;
            psnrSum += ImageQuality.meanPsnr(x, r.images()) * size;
            ssimSum += ImageQuality.meanSsim(x, r.images()) * size;
            images += size;
            x.close();
            r.images().close();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("utilization", usage.utilisation());
        m.put("perplexity", usage.perplexity());
        m.put("perplexity_fraction", usage.perplexity() / usage.codebookSize());
        m.put("mse", sse / images);
        m.put("psnr", psnrSum / images);
        m.put("ssim", ssimSum / images);
        m.putAll(trainer.quantizer().diagnostics());
        return new Result(m, usage);
    }
}
