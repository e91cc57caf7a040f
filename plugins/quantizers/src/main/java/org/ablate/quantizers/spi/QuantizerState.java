package org.ablate.quantizers.spi;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trial's quantizer. Its graph parts (projections, bounding) live in the autoencoder's
 * SameDiff graph and train with it; the nearest-code search and the codebook's own update run
 * outside the graph, so no N × K matrix ever enters it and the codebook gradient accumulates over
 * duplicate indices exactly (SameDiff's gather gradient does not — see shared/STACK.md).
 *
 * <p>The task's step: zPre = preQuantize(encoder(x)) is evaluated; {@link #assign} picks codes;
 * the graph runs with q as a placeholder (z_q = zPre + sg(q − zPre), commitment β·mean((sg(q) − zPre)²));
 * then {@link #update} applies the codebook term mean((q − sg(zPre))²) to the codebook.
 */
public interface QuantizerState {

    /** The vector space codes live in: identity for VQ and SimVQ, a projection for the low-dim families. */
    SDVariable preQuantize(SameDiff sd, SDVariable z);

    /** Maps the straight-through vector back to the decoder's input size. */
    SDVariable postQuantize(SameDiff sd, SDVariable zq);

    /** An extra loss term (LFQ's entropy), or null. */
    default SDVariable extraLoss(SameDiff sd, SDVariable zPre) {
        return null;
    }

    /** Whether the encoder commitment term applies (not for FSQ, whose grid is fixed). */
    default boolean commitment() {
        return true;
    }

    /** Size of the vectors codes are looked up in. */
    int codeDim();

    /** The number of codes (for FSQ the product of its levels). */
    int codebookSize();

    /** Nearest codes for pre-quantisation vectors zPre [N, codeDim]. */
    Assignment assign(INDArray zPre);

    /**
     * Updates the codebook from this step's zPre and assignment (a gradient step on the codebook
     * term, or EMA statistics).
     *
     * @return the codebook term's value mean((q − zPre)²)
     */
    double update(INDArray zPre, Assignment assignment);

    /** The quantised vectors [N, codeDim] for code indices: what the forward pass used (SimVQ: rows of C·Wᵀ + b). */
    INDArray decode(int[] indices);

    /** Codebook rows (effective rows for SimVQ) whose value changed in the last update, or -1 where it does not apply. */
    default long rowsChanged() {
        return -1;
    }

    /** Family-specific measurements logged at evaluation, e.g. the effective rank of SimVQ's W; declare a new name in Evaluation.METRICS. */
    default Map<String, Double> diagnostics() {
        return Map.of();
    }
}
