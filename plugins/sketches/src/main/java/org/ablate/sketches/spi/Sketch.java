package org.ablate.sketches.spi;

import org.ablate.sketches.linalg.DenseMatrix;

/**
 * A sketch family: draws S (m × n) from a seed and returns S·M for the n × (d+1) matrix
 * M = [A | b], so one S is applied to A and b alike. No family ever holds S as an m × n matrix:
 * dense ones generate it in column blocks, sparse ones as hashes or sampled rows.
 * Same seed and parameters, same S, bit for bit. A family with parameters (OSNAP's {@code s})
 * receives them at creation, as {@link org.ablate.spi.ComponentParams} in its constructor.
 */
public interface Sketch {

    /**
     * @param problem the regression problem (M = [A | b] and what is derived from it)
     * @param m the number of rows of S
     * @param seed the draw's seed
     * @return S·M, m × (d+1)
     */
    DenseMatrix apply(SketchInput problem, int m, long seed);

    /** Dense families have every entry of S nonzero (Gaussian, Rademacher, SRHT). */
    boolean dense();
}
