package org.ablate.quantizers.spi;

import org.ablate.spi.Parameters;

/**
 * A quantizer family (the component kind an experiment swaps with {@code quantizer: simvq}).
 * It creates the per-trial {@link QuantizerState}: the codebook and whatever trains it.
 */
public interface Quantizer {

    /**
     * @param setup what the task fixes for every family (latent size, codebook size, β, seed…)
     * @param params this family's own parameters
     */
    QuantizerState create(QuantizerSetup setup, Parameters params);
}
