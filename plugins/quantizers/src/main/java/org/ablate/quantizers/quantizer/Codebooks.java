package org.ablate.quantizers.quantizer;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded codebook initialisations (float32, [K, D]). */
final class Codebooks {

    private Codebooks() {
    }

    /** Uniform(−a, a) entries. */
    static INDArray uniform(int k, int d, double a, SplittableRandom random) {
        float[] v = new float[k * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * a);
        }
        return Nd4j.create(v, new long[] {k, d}, 'c');
    }

    /** N(0, std²) entries. */
    static INDArray gaussian(int k, int d, double std, SplittableRandom random) {
        float[] v = new float[k * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return Nd4j.create(v, new long[] {k, d}, 'c');
    }

    /** As {@link #rowsDiffering}, overwriting {@code before} (a scratch copy) instead of allocating. */
    static long rowsDifferingInPlace(INDArray before, INDArray after) {
        INDArray diff = before.rsubi(after);
        INDArray rowMax = org.nd4j.linalg.ops.transforms.Transforms.abs(diff, false).max(1);
        long changed = rowMax.gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().longValue();
        rowMax.close();
        return changed;
    }

    /** Rows whose values differ between two codebooks of the same shape. */
    static long rowsDiffering(INDArray before, INDArray after) {
        INDArray diff = after.sub(before);
        INDArray rowMax = org.nd4j.linalg.ops.transforms.Transforms.abs(diff, false).max(1);
        long changed = rowMax.gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32).sumNumber().longValue();
        diff.close();
        rowMax.close();
        return changed;
    }
}
