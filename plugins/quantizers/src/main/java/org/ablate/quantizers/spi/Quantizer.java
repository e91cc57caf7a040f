package org.ablate.quantizers.spi;

/**
 * A quantizer family (the component kind an experiment swaps with {@code quantizer: simvq}).
 * It creates the per-trial {@link QuantizerState}: the codebook and whatever trains it. A family
 * with options ({@code quantizer.w: diagonal}) receives them at creation, as
 * {@link org.ablate.spi.ComponentParams} in its constructor.
 */
public interface Quantizer {

    /**
     * @param setup what the task fixes for every family (latent size, codebook size, β, seed…)
     */
    QuantizerState create(QuantizerSetup setup);
}
