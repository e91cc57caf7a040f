package org.ablate.report;

import java.util.List;
import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;

/**
 * A rate's draws pooled over the seeds of one configuration: {@code events} of {@code draws}
 * independent draws, and the exact two-sided 95% Clopper–Pearson interval of the proportion. Three
 * seeds of 112 draws with 2 failures in all cannot be told from 10% by a t-interval over the three
 * rates; as 2 of 336 draws they can.
 */
public record PooledRate(int seeds, long events, long draws, double low, double high) {

    /** The interval the claims use, named in reports. */
    public static final String METHOD = "Clopper–Pearson";

    /**
     * @param rate  the summary holding events / count
     * @param count the trial's summary of that name, else its parameter of that name
     * @throws IllegalArgumentException when a trial lacks the count or its rate × count is not a whole number of events
     */
    public static PooledRate of(List<TrialResult> trials, String rate, String count) {
        long events = 0;
        long draws = 0;
        int seeds = 0;
        for (TrialResult t : trials) {
            Double r = t.summary().get(rate);
            if (r == null || !Double.isFinite(r)) {
                continue; // not averaged by the t-interval either
            }
            double n = countOf(t, count);
            double k = r * n;
            long whole = Math.round(k);
            // rate = k / n in double precision: k comes back within a rounding error
            if (n < 0 || n != Math.rint(n) || Math.abs(k - whole) > 1e-6 * Math.max(1, n) || whole < 0 || whole > n) {
                throw new IllegalArgumentException("trial " + t.id() + ": " + rate + " = " + r + " is not a whole number of events of "
                        + count + " = " + n);
            }
            events += whole;
            draws += (long) n;
            seeds++;
        }
        if (draws == 0) {
            return new PooledRate(seeds, 0, 0, Double.NaN, Double.NaN);
        }
        return new PooledRate(seeds, events, draws, lower(draws, events), upper(draws, events));
    }

    private static double countOf(TrialResult t, String count) {
        Double fromSummary = t.summary().get(count);
        if (fromSummary != null) {
            return fromSummary;
        }
        if (t.params().get(count) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("trial " + t.id() + " has no summary or parameter '" + count + "' to pool");
    }

    // commons-math3 computes both bounds from F quantiles that do not exist at 0 and all events;
    // there the exact bounds are 0 and 1 (and the other bound the one-sided (α/2)-root)
    private static double lower(long n, long k) {
        return k == 0 ? 0.0 : k == n ? Math.pow((1 - Stat.LEVEL) / 2, 1.0 / n) : interval(n, k).getLowerBound();
    }

    private static double upper(long n, long k) {
        return k == n ? 1.0 : k == 0 ? 1 - Math.pow((1 - Stat.LEVEL) / 2, 1.0 / n) : interval(n, k).getUpperBound();
    }

    private static ConfidenceInterval interval(long n, long k) {
        return new ClopperPearsonInterval().createInterval(Math.toIntExact(n), Math.toIntExact(k), Stat.LEVEL);
    }

    /** The pooled proportion events / draws. */
    public double proportion() {
        return draws == 0 ? Double.NaN : (double) events / draws;
    }

    /** The pooled figure as a Stat over the seeds, its interval the binomial one. */
    public Stat asStat() {
        return new Stat(seeds, proportion(), Double.NaN, low, high, 0);
    }
}
