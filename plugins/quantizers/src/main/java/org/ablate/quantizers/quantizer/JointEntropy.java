package org.ablate.quantizers.quantizer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In the graph: the entropy (nats) of the batch-averaged distribution over all K = 2^bits LFQ
 * codes, where a code's probability for a token is the product of its bits' probabilities
 * sigmoid(±logit) (MAGVIT-v2's codebook entropy; vector-quantize-pytorch's {@code avg_prob}).
 *
 * <p>The K × N matrix of per-token code probabilities is never formed. A code is a high half
 * (the top ⌊bits/2⌋ bits) and a low half, and its probability is the product of the two halves'
 * probabilities, so the batch sum over the N tokens is one product M = Aᵀ·B of the tokens' half-code
 * probabilities A [N, 2^high] and B [N, 2^low]. K is handled in chunks of 2^low codes that share
 * a high half (a row of M each), all in one GEMM. Memory grows as N·(2^high + 2^low) + K values
 * (at K = 262,144 and N = 3,136 tokens: 3.2 M + 0.26 M floats) instead of N·K (822 M); work is
 * 2·N·K multiply-adds, as for the direct form.
 */
final class JointEntropy {

    /** Logits past ±40 give bit probabilities within e^-40 of 0 or 1; clipping keeps log-sigmoid finite, so no −∞·0. */
    private static final double CLIP = 40;
    /** Keeps log finite for a code whose mean probability underflowed to 0 (its term is 0 either way). */
    private static final double TINY = 1e-30;

    private JointEntropy() {
    }

    /**
     * @param logits [N, bits]: bit j of token i is on with probability sigmoid(logits[i, j])
     * @return a scalar, the entropy of the mean over tokens of the product distributions
     */
    static SDVariable of(SameDiff sd, SDVariable logits, int bits) {
        if (bits < 2) {
            throw new IllegalArgumentException("the joint form splits the bits in two halves; one bit is its own joint (use the per-bit form)");
        }
        int low = (bits + 1) / 2;
        int high = bits - low;
        SDVariable x = sd.math().clipByValue(logits, -CLIP, CLIP);
        SDVariable logOn = sd.nn().softplus(x.neg()).neg();   // log sigmoid(x)
        SDVariable logOff = sd.nn().softplus(x).neg();        // log (1 − sigmoid(x))
        SDVariable a = halfCodes(sd, "lfq_high", logOn, logOff, bits, low, high);
        SDVariable b = halfCodes(sd, "lfq_low", logOn, logOff, bits, 0, low);
        // M[h, l] = Σ_i A[i, h]·B[i, l]: code (h << low) | l summed over the batch. Every token's
        // half-code probabilities sum to 1, so M's total is N: dividing by it is the batch mean,
        // without the batch size as a graph constant
        SDVariable m = sd.mmul(a, b, true, false, false);
        SDVariable p = m.div(m.sum());
        return p.mul(sd.math().log(p.add(TINY))).sum().neg();
    }

    /**
     * The probabilities [N, 2^width] of the 2^width patterns of bits from..from+width−1: the
     * exponential of a sum of log-probabilities, one GEMM with a constant 0/1 mask per state.
     */
    private static SDVariable halfCodes(SameDiff sd, String name, SDVariable logOn, SDVariable logOff,
                                        int bits, int from, int width) {
        int patterns = 1 << width;
        float[] on = new float[patterns * bits];
        float[] off = new float[patterns * bits];
        for (int c = 0; c < patterns; c++) {
            for (int t = 0; t < width; t++) {
                boolean set = ((c >>> t) & 1) == 1;
                on[c * bits + from + t] = set ? 1f : 0f;
                off[c * bits + from + t] = set ? 0f : 1f;
            }
        }
        SDVariable onMask = sd.constant(name + "_on", mask(on, patterns, bits, logOn.dataType()));
        SDVariable offMask = sd.constant(name + "_off", mask(off, patterns, bits, logOn.dataType()));
        SDVariable logProb = sd.mmul(logOn, onMask, false, true, false).add(sd.mmul(logOff, offMask, false, true, false));
        return sd.math().exp(logProb);
    }

    private static INDArray mask(float[] values, int rows, int cols, DataType type) {
        return Nd4j.create(values, new long[] {rows, cols}, 'c').castTo(type);
    }
}
