package org.ablate.report;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A metric over the seeds of one configuration: count, mean, sample standard deviation and the
 * two-sided 95% Student-t confidence interval of the mean (NaN bounds with fewer than two values,
 * where no interval exists). Non-finite values are not averaged; they are counted in
 * {@link #nonFinite()}.
 */
public record Stat(int n, double mean, double std, double ciLow, double ciHigh, int nonFinite) {

    public static final double LEVEL = 0.95;

    public static Stat of(double[] values) {
        int n = 0;
        int bad = 0;
        double sum = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
                sum += v;
            } else {
                bad++;
            }
        }
        if (n == 0) {
            return new Stat(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, bad);
        }
        double mean = sum / n;
        double first = Double.NaN;
        boolean allEqual = true;
        for (double v : values) {
            if (Double.isFinite(v)) {
                if (Double.isNaN(first)) {
                    first = v;
                } else if (v != first) {
                    allEqual = false;
                }
            }
        }
        if (allEqual) {
            mean = first; // sum / n can drift off the value itself (0.1 + 0.1 + 0.1 = 0.30000000000000004)
        }
        if (n == 1) {
            return new Stat(1, mean, Double.NaN, Double.NaN, Double.NaN, bad);
        }
        double ss = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        double std = allEqual ? 0 : Math.sqrt(ss / (n - 1));
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double half = t * std / Math.sqrt(n);
        return new Stat(n, mean, std, mean - half, mean + half, bad);
    }

    /** True when there is an interval (two or more finite values). */
    public boolean hasInterval() {
        return n >= 2;
    }

    public double halfWidth() {
        return hasInterval() ? (ciHigh - ciLow) / 2 : Double.NaN;
    }
}
