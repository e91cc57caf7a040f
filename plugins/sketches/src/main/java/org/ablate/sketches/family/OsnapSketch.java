package org.ablate.sketches.family;

import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;

/** OSNAP / sparse JL: s nonzeros ±1/√s per column of S, one in each of s row blocks. */
public final class OsnapSketch extends HashingSketch {

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("s").defaultValue(4).range(1, 1024).doc("Nonzeros per column of S."));

    @Override
    public DenseMatrix apply(SketchInput problem, int m, long seed, Parameters params) {
        return hash(problem, m, params.getInt("s"), seed);
    }
}
