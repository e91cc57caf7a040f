package org.ablate.quantizers.spi;

/**
 * What the autoencoder task fixes for every quantizer.
 *
 * @param latentDim d, the encoder's output size per token
 * @param codebookSize K as swept (FSQ and LFQ derive their grid from it)
 * @param beta weight of the encoder commitment term
 * @param learningRate Adam's step size for parameters trained outside the graph (the codebook)
 * @param seed for the codebook's initialisation
 * @param searchBound the largest N×K block of distances the nearest-code search may hold
 */
public record QuantizerSetup(int latentDim, int codebookSize, double beta, double learningRate, long seed,
                             long searchBound) {
}
