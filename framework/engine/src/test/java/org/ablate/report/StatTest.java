package org.ablate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Mean, sample standard deviation and the two-sided 95% Student-t interval of the mean. */
class StatTest {

    private static final double EPS = 1e-9;

    @Test
    void knownDataGiveTheTextbookInterval() {
        Stat s = Stat.of(new double[] {1, 2, 3, 4});
        assertEquals(4, s.n());
        assertEquals(0, s.nonFinite());
        assertEquals(2.5, s.mean(), EPS);
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(), EPS);
        assertEquals(1.2909944487358056, s.std(), EPS);
        double half = 3.182446305284263 * 1.2909944487358056 / 2; // t(0.975, 3) * s / sqrt(4)
        assertEquals(2.5 - half, s.ciLow(), EPS);
        assertEquals(2.5 + half, s.ciHigh(), EPS);
        assertEquals(half, s.halfWidth(), EPS);
        assertTrue(s.hasInterval());
    }

    @Test
    void twoValuesUseTwelvePointSevenOne() {
        // t(0.975, 1) = 12.7062047361747: two seeds give a very wide interval
        Stat s = Stat.of(new double[] {10, 12});
        assertEquals(11, s.mean(), EPS);
        assertEquals(Math.sqrt(2), s.std(), EPS);
        assertEquals(12.706204736174707 * Math.sqrt(2) / Math.sqrt(2), s.halfWidth(), 1e-9);
    }

    @Test
    void oneValueHasAMeanButNoInterval() {
        Stat s = Stat.of(new double[] {0.7});
        assertEquals(1, s.n());
        assertEquals(0.7, s.mean(), EPS);
        assertTrue(Double.isNaN(s.std()));
        assertTrue(Double.isNaN(s.ciLow()));
        assertTrue(Double.isNaN(s.ciHigh()));
        assertTrue(Double.isNaN(s.halfWidth()));
        assertFalse(s.hasInterval());
    }

    @Test
    void nonFiniteValuesAreCountedNotAveraged() {
        Stat s = Stat.of(new double[] {Double.NaN, 1, Double.POSITIVE_INFINITY, 2, 3, 4, Double.NEGATIVE_INFINITY});
        Stat clean = Stat.of(new double[] {1, 2, 3, 4});
        assertEquals(4, s.n());
        assertEquals(3, s.nonFinite());
        assertEquals(clean.mean(), s.mean(), EPS);
        assertEquals(clean.std(), s.std(), EPS);
        assertEquals(clean.ciLow(), s.ciLow(), EPS);
        assertEquals(clean.ciHigh(), s.ciHigh(), EPS);

        Stat one = Stat.of(new double[] {Double.NaN, 5});
        assertEquals(1, one.n());
        assertEquals(1, one.nonFinite());
        assertEquals(5, one.mean(), EPS);
        assertFalse(one.hasInterval());

        Stat none = Stat.of(new double[] {Double.NaN, Double.NaN});
        assertEquals(0, none.n());
        assertEquals(2, none.nonFinite());
        assertTrue(Double.isNaN(none.mean()));
        assertFalse(none.hasInterval());

        Stat empty = Stat.of(new double[0]);
        assertEquals(0, empty.n());
        assertEquals(0, empty.nonFinite());
        assertTrue(Double.isNaN(empty.mean()));
    }

    @Test
    void equalValuesGiveAZeroWidthInterval() {
        Stat s = Stat.of(new double[] {0.25, 0.25, 0.25});
        assertEquals(3, s.n());
        assertEquals(0.25, s.mean(), 0);
        assertEquals(0, s.std(), 0);
        assertEquals(0.25, s.ciLow(), 0);
        assertEquals(0.25, s.ciHigh(), 0);
        assertEquals(0, s.halfWidth(), 0);
        assertTrue(s.hasInterval());

        // 0.1 + 0.1 + 0.1 = 0.30000000000000004: equal values must not drift off themselves
        Stat tenth = Stat.of(new double[] {0.1, 0.1, 0.1, Double.NaN});
        assertEquals(3, tenth.n());
        assertEquals(0.1, tenth.mean(), 0);
        assertEquals(0, tenth.std(), 0);
        assertEquals(0.1, tenth.ciLow(), 0);
        assertEquals(0.1, tenth.ciHigh(), 0);
    }
}
