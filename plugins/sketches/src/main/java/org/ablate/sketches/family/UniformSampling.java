package org.ablate.sketches.family;

import java.util.Arrays;
import org.ablate.sketches.spi.SketchInput;

/** Uniform row sampling: p_i = 1/n, each sampled row scaled by √(n/m). */
public final class UniformSampling extends RowSamplingSketch {

    @Override
    double[] probabilities(SketchInput problem) {
        double[] p = new double[problem.n()];
        Arrays.fill(p, 1.0 / problem.n());
        return p;
    }
}
