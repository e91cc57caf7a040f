package org.ablate.quantizers.quantizer;

import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shared part of quantizers whose codes live in the encoder's own d-dimensional space (VQ,
 * SimVQ, EMA-VQ): no graph part of their own, squared-L2 lookup in {@link #lookupCodebook()}, and
 * decoding as a row gather from it; {@link #rowsChanged} tracks the last update.
 */
abstract class LatentCodebookState implements QuantizerState {

    final QuantizerSetup setup;
    long rowsChanged = -1;
    private final SearchBuffers searchBuffers = new SearchBuffers();

    LatentCodebookState(QuantizerSetup setup) {
        this.setup = setup;
    }

    /** The codebook the search scans and decoding reads ([K, d]; SimVQ's effective C·Wᵀ + b). */
    abstract INDArray lookupCodebook();

    @Override
    public final SDVariable preQuantize(SameDiff sd, SDVariable z) {
        return z;
    }

    @Override
    public final SDVariable postQuantize(SameDiff sd, SDVariable zq) {
        return zq;
    }

    @Override
    public final int codeDim() {
        return setup.latentDim();
    }

    @Override
    public final int codebookSize() {
        return setup.codebookSize();
    }

    @Override
    public final Assignment assign(INDArray zPre) {
        int[] idx = NearestCode.search(zPre, lookupCodebook(), setup.searchBound(), searchBuffers);
        return new Assignment(idx, NearestCode.gather(lookupCodebook(), idx));
    }

    @Override
    public final INDArray decode(int[] indices) {
        return NearestCode.gather(lookupCodebook(), indices);
    }

    @Override
    public final long rowsChanged() {
        return rowsChanged;
    }
}
