package org.ablate.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PointSamplerTest {

    @Test
    void radicalInverseMirrorsTheDigits() {
        assertEquals(0.5, PointSampler.radicalInverse(1, 2));
        assertEquals(0.25, PointSampler.radicalInverse(2, 2));
        assertEquals(0.75, PointSampler.radicalInverse(3, 2));
        assertEquals(1.0 / 3 + 1.0 / 9, PointSampler.radicalInverse(4, 3), 1e-15);
    }

    @Test
    void antitheticPointsComeInMirroredPairs() {
        PointSampler.Source s = PointSampler.ANTITHETIC.start(new SplittableRandom(1));
        double[] a = new double[2];
        double[] b = new double[2];
        for (int i = 0; i < 100; i++) {
            s.next(a);
            s.next(b);
            assertEquals(1.0, a[0] + b[0], 1e-15);
            assertEquals(1.0, a[1] + b[1], 1e-15);
        }
    }

    @Test
    void everySamplerIsDeterministicForASeed() {
        for (PointSampler sampler : PointSampler.values()) {
            PointSampler.Source x = sampler.start(new SplittableRandom(42));
            PointSampler.Source y = sampler.start(new SplittableRandom(42));
            double[] p = new double[2];
            double[] q = new double[2];
            for (int i = 0; i < 1000; i++) {
                x.next(p);
                y.next(q);
                assertEquals(p[0], q[0]);
                assertEquals(p[1], q[1]);
            }
        }
    }
}
