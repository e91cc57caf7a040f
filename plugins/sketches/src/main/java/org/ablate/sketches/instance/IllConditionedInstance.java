package org.ablate.sketches.instance;

import jakarta.inject.Inject;
import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;

/** A = U Σ Vᵀ with random orthonormal U, V and geometric singular values from 1 down to 1/κ. */
public final class IllConditionedInstance implements RegressionInstance {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.real("kappa").defaultValue(1e6).range(1, 1e12).doc("Condition number σ_max/σ_min."));

    private final double kappa;

    @Inject
    public IllConditionedInstance(@ComponentParams Parameters params) {
        this.kappa = params.getDouble("kappa");
    }

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        double[][] u = Instances.orthonormal(n, d, random);
        double[][] v = Instances.orthonormal(d, d, random);
        double[] sigma = new double[d];
        for (int i = 0; i < d; i++) {
            sigma[i] = d == 1 ? 1.0 : Math.pow(kappa, -(double) i / (d - 1));
        }
        // (U Σ) Vᵀ, row by row
        DenseMatrix ab = new DenseMatrix(n, d + 1);
        double[] us = new double[d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                us[i] = u[r][i] * sigma[i];
            }
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += us[i] * v[c][i];
                }
                ab.set(r, c, s);
            }
        }
        Instances.setRightHandSide(ab, noise, random);
        return ab;
    }
}
