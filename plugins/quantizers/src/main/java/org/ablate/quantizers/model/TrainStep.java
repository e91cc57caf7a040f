package org.ablate.quantizers.model;

/**
 * What one training step measured.
 *
 * @param reconLoss mean squared reconstruction error
 * @param codebookLoss mean((q − sg(zPre))²), the codebook term
 * @param commitLoss β·mean((sg(q) − zPre)²), or 0 where the quantizer has none
 * @param extraLoss e.g. LFQ's entropy term, or 0
 * @param indices the codes chosen for the batch's tokens
 * @param rowsChanged codebook rows the update changed, or -1
 */
public record TrainStep(double reconLoss, double codebookLoss, double commitLoss, double extraLoss, int[] indices,
                        long rowsChanged) {

    public double total() {
        return reconLoss + commitLoss + extraLoss;
    }
}
