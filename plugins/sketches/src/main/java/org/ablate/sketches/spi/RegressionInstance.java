package org.ablate.sketches.spi;

import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.spi.Parameters;

/** A family of regression problems: generates M = [A | b] (n × (d+1)) from a seeded stream. */
public interface RegressionInstance {

    /**
     * @param noise ||r|| / ||A x0|| for b = A x0 + r with r ⟂ col(A), where the family uses it
     * @param params this family's own parameters
     */
    DenseMatrix generate(int n, int d, double noise, SplittableRandom random, Parameters params);
}
