package org.ablate.sketches.instance;

import jakarta.inject.Inject;
import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.Well19937c;

/** Rows of A are multivariate Student-t: a_i = z_i · √(ν / w_i), z_i ~ N(0, I), w_i ~ χ²_ν. */
public final class HeavyTailedInstance implements RegressionInstance {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.real("dof").defaultValue(2.0).range(0.1, 1000).doc("Degrees of freedom ν (smaller: heavier tails)."));

    private final double dof;

    @Inject
    public HeavyTailedInstance(@ComponentParams Parameters params) {
        this.dof = params.getDouble("dof");
    }

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        DenseMatrix ab = Instances.gaussianWithSpareColumn(n, d, random);
        // χ²_ν = Gamma(ν/2, 2)
        GammaDistribution chi2 = new GammaDistribution(new Well19937c(random.nextLong()), dof / 2, 2);
        for (int i = 0; i < n; i++) {
            double f = Math.sqrt(dof / chi2.sample());
            for (int j = 0; j < d; j++) {
                ab.set(i, j, ab.get(i, j) * f);
            }
        }
        Instances.setRightHandSide(ab, noise, random);
        return ab;
    }
}
