package org.ablate.sketches.family;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/** Index sampling shared by the SRHT and the sampling sketches. */
final class Sampling {

    private Sampling() {
    }

    /** m distinct indices of [0, n), uniformly, by Floyd's algorithm (O(m) time and memory). */
    static int[] distinct(int n, int m, SplittableRandom random) {
        Set<Integer> chosen = new HashSet<>(m * 2);
        int[] out = new int[m];
        int count = 0;
        for (int j = n - m; j < n; j++) {
            int t = random.nextInt(j + 1);
            int pick = chosen.add(t) ? t : j;
            if (pick == j) {
                chosen.add(j);
            }
            out[count++] = pick;
        }
        return out;
    }

    /** m indices drawn i.i.d. with probabilities proportional to {@code weights}. */
    static int[] weighted(double[] weights, int m, SplittableRandom random) {
        double[] cumulative = new double[weights.length];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            total += weights[i];
            cumulative[i] = total;
        }
        int[] out = new int[m];
        for (int j = 0; j < m; j++) {
            double u = random.nextDouble() * total;
            int lo = 0;
            int hi = weights.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            out[j] = lo;
        }
        return out;
    }
}
