package org.ablate.sketches.instance;

import jakarta.inject.Inject;
import java.util.SplittableRandom;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;

/** Gaussian A with a few rows scaled up, so they carry most of the leverage ("spiky" A). */
public final class CoherentInstance implements RegressionInstance {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("spikes").defaultValue(4).range(1, 1 << 20).doc("Rows with high leverage."),
            Param.real("scale").defaultValue(100.0).range(1, 1e8).doc("Factor those rows are multiplied by."));

    private final int spikes;
    private final double scale;

    @Inject
    public CoherentInstance(@ComponentParams Parameters params) {
        this.spikes = params.getInt("spikes");
        this.scale = params.getDouble("scale");
    }

    @Override
    public DenseMatrix generate(int n, int d, double noise, SplittableRandom random) {
        if (spikes > n) {
            throw new IllegalArgumentException("coherent instance: spikes = " + spikes + " exceeds n = " + n);
        }
        DenseMatrix ab = Instances.gaussianWithSpareColumn(n, d, random);
        for (int i = 0; i < spikes; i++) {
            int row = random.nextInt(n);
            for (int j = 0; j < d; j++) {
                ab.set(row, j, ab.get(row, j) * scale);
            }
        }
        Instances.setRightHandSide(ab, noise, random);
        return ab;
    }
}
