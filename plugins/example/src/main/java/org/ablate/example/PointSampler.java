package org.ablate.example;

import java.util.SplittableRandom;

/**
 * Ways to draw points in the unit square. Each fills {@code xy} with the next point pair(s):
 * plain Monte Carlo (error ~ n^-1/2), antithetic pairs (same rate, smaller constant for monotone
 * integrands), and a randomly shifted Halton sequence (quasi-Monte Carlo, error ~ (log n)^2 / n).
 */
enum PointSampler {
    UNIFORM {
        @Override
        Source start(SplittableRandom random) {
            return xy -> {
                xy[0] = random.nextDouble();
                xy[1] = random.nextDouble();
            };
        }
    },
    ANTITHETIC {
        @Override
        Source start(SplittableRandom random) {
            return new Source() {
                private double u;
                private double v;
                private boolean mirror;

                @Override
                public void next(double[] xy) {
                    if (!mirror) {
                        u = random.nextDouble();
                        v = random.nextDouble();
                        xy[0] = u;
                        xy[1] = v;
                    } else {
                        xy[0] = 1.0 - u;
                        xy[1] = 1.0 - v;
                    }
                    mirror = !mirror;
                }
            };
        }
    },
    HALTON {
        @Override
        Source start(SplittableRandom random) {
            // Cranley–Patterson rotation: a random shift keeps the estimate unbiased across seeds
            double shiftX = random.nextDouble();
            double shiftY = random.nextDouble();
            return new Source() {
                private long index = 1;

                @Override
                public void next(double[] xy) {
                    xy[0] = frac(radicalInverse(index, 2) + shiftX);
                    xy[1] = frac(radicalInverse(index, 3) + shiftY);
                    index++;
                }
            };
        }
    };

    /** An endless stream of points. */
    interface Source {
        void next(double[] xy);
    }

    abstract Source start(SplittableRandom random);

    static double radicalInverse(long index, int base) {
        double inverse = 1.0 / base;
        double factor = inverse;
        double result = 0;
        long i = index;
        while (i > 0) {
            result += (i % base) * factor;
            i /= base;
            factor *= inverse;
        }
        return result;
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }
}
