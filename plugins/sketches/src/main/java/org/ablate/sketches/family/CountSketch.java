package org.ablate.sketches.family;

import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;

/** Count-Sketch (Clarkson–Woodruff): one ±1 per column of S, at a hashed row. */
public final class CountSketch extends HashingSketch {

    @Override
    public DenseMatrix apply(SketchInput problem, int m, long seed) {
        return hash(problem, m, 1, seed);
    }
}
