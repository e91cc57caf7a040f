package org.ablate.quantizers.quantizer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A trainable linear map inside the graph (x·W + b), initialised like PyTorch's nn.Linear. */
final class Projection {

    private Projection() {
    }

    static SDVariable linear(SameDiff sd, String name, SDVariable x, int in, int out, long seed) {
        double bound = 1.0 / Math.sqrt(in);
        var random = new java.util.SplittableRandom(seed);
        SDVariable w = sd.var(name + "_w", uniform(new long[] {in, out}, bound, random));
        SDVariable b = sd.var(name + "_b", uniform(new long[] {1, out}, bound, random));
        return x.mmul(w).add(b);
    }

    private static INDArray uniform(long[] shape, double bound, java.util.SplittableRandom random) {
        float[] v = new float[(int) (shape[0] * shape[1])];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Nd4j.create(v, shape, 'c').castTo(DataType.FLOAT);
    }
}
