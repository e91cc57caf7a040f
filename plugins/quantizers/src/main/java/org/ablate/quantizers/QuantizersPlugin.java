package org.ablate.quantizers;

import org.ablate.quantizers.quantizer.EmaVq;
import org.ablate.quantizers.quantizer.FactorizedVq;
import org.ablate.quantizers.quantizer.Fsq;
import org.ablate.quantizers.quantizer.Lfq;
import org.ablate.quantizers.quantizer.SimVq;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.task.VqAutoencoderTask;
import org.ablate.spi.AbstractPlugin;

/** Vector quantizers and the autoencoder task that measures their codebook health. */
public final class QuantizersPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "quantizers";
    }

    @Override
    protected void configure() {
        registerComponent(Quantizer.class, "vq", "Vanilla VQ: trainable codebook, uniform(±1/K) init, straight-through.",
                VanillaVq.SCHEMA, VanillaVq.class);
        registerComponent(Quantizer.class, "simvq", "SimVQ: frozen codebook C times one trainable linear layer, E = C·Wᵀ + b.",
                SimVq.SCHEMA, SimVq.class);
        registerComponent(Quantizer.class, "vq-fc", "Factorised codes: low-dim, l2-normalised lookup by cosine, projected back.",
                FactorizedVq.SCHEMA, FactorizedVq.class);
        registerComponent(Quantizer.class, "vq-ema", "VQ with the codebook updated by exponential moving averages.",
                EmaVq.SCHEMA, EmaVq.class);
        registerComponent(Quantizer.class, "fsq", "Finite scalar quantisation: a fixed integer grid per dimension.",
                Fsq.SCHEMA, Fsq.class);
        registerComponent(Quantizer.class, "lfq", "Lookup-free quantisation: signs of a log2(K)-dim projection, entropy loss.",
                Lfq.SCHEMA, Lfq.class);
        registerComponent(org.ablate.spi.Benchmark.class, "quantizers",
                "Nearest-code search throughput by K, and the autoencoder's training step time and peak memory.",
                org.ablate.quantizers.bench.QuantizersBenchmark.SCHEMA, org.ablate.quantizers.bench.QuantizersBenchmark.class);
        registerTask("vq-autoencoder", "Trains a VQ autoencoder on images; measures utilisation, perplexity, MSE, PSNR, SSIM.",
                VqAutoencoderTask.SCHEMA, VqAutoencoderTask.METRICS, VqAutoencoderTask.class);
    }
}
