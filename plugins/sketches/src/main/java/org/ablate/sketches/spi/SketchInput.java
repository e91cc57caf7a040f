package org.ablate.sketches.spi;

import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.LeastSquares;

/**
 * The matrix a sketch is applied to, M = [A | b] (n × (d+1), row-major), with the exact leverage
 * scores of A computed once, on first use, and shared by every draw.
 */
public final class SketchInput {

    private final DenseMatrix ab;
    private final int d;
    private double[] leverage;

    public SketchInput(DenseMatrix ab) {
        if (ab.cols() < 2) {
            throw new IllegalArgumentException("[A | b] needs at least 2 columns, got " + ab.cols());
        }
        this.ab = ab;
        this.d = ab.cols() - 1;
    }

    public DenseMatrix ab() {
        return ab;
    }

    public int n() {
        return ab.rows();
    }

    public int d() {
        return d;
    }

    /** ℓ_i = ||Q_i||² from a thin QR of A; they sum to rank(A). */
    public synchronized double[] leverageScores() {
        if (leverage == null) {
            leverage = LeastSquares.leverageScores(ab, d);
        }
        return leverage;
    }
}
