package org.ablate.sketches.family;

import java.util.SplittableRandom;

/** S with i.i.d. ±1/√m entries (AMS). One random long gives 64 signs. */
public final class RademacherSketch extends DenseBlockSketch {

    private static final long ONE = Double.doubleToRawLongBits(1.0);

    @Override
    void fill(double[] values, int from, int to, SplittableRandom random) {
        int i = from;
        while (i < to) {
            long bits = random.nextLong();
            int end = Math.min(to, i + 64);
            for (int j = 0; i < end; i++, j++) {
                // the sign bit of 1.0 taken from bit j: branch-free
                values[i] = Double.longBitsToDouble(ONE | ((bits >>> j) << 63));
            }
        }
    }

    @Override
    double scale(int m) {
        return 1.0 / Math.sqrt(m);
    }
}
