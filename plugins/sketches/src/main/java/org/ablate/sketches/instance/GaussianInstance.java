package org.ablate.sketches.instance;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;

/** The easy case: A with i.i.d. N(0, 1) entries, b = A x0 + r with r ⟂ col(A). */
public final class GaussianInstance implements RegressionInstance {

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        DenseMatrix ab = Instances.gaussianWithSpareColumn(n, d, random);
        Instances.setRightHandSide(ab, noise, random);
        return ab;
    }
}
