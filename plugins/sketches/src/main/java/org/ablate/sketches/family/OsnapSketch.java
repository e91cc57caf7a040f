package org.ablate.sketches.family;

import jakarta.inject.Inject;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;

/** OSNAP / sparse JL: s nonzeros ±1/√s per column of S, one in each of s row blocks. */
public final class OsnapSketch extends HashingSketch {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("s").defaultValue(4).range(1, 1024).doc("Nonzeros per column of S."));

    private final int s;

    @Inject
    public OsnapSketch(@ComponentParams Parameters params) {
        this.s = params.getInt("s");
    }

    @Override
    public DenseMatrix apply(SketchInput problem, int m, long seed) {
        return hash(problem, m, s, seed);
    }
}
