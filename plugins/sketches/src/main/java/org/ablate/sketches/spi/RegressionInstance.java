package org.ablate.sketches.spi;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;

/**
 * A family of regression problems: generates M = [A | b] (n × (d+1)) from a seeded stream. A family
 * with parameters receives them at creation, as {@link org.ablate.spi.ComponentParams} in its constructor.
 */
public interface RegressionInstance {

    /**
     * @param noise ||r|| / ||A x0|| for b = A x0 + r with r ⟂ col(A), where the family uses it
     */
    DenseMatrix generate(int n, int d, double noise, SplittableRandom random);
}
