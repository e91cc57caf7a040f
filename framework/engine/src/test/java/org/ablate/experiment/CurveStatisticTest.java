package org.ablate.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each statistic of a step curve, the steps it reads and how a report words it. */
class CurveStatisticTest {

    private static final double[] CURVE = {0.2, 0.6, 0.9, 0.85};
    private static final long[] STEPS = {250, 500, 750, 1000};

    @Test
    void eachStatisticOfOneCurve() {
        assertEquals(0.2, CurveStatistic.FIRST.of(CURVE), 0.0);
        assertEquals(0.85, CurveStatistic.LAST.of(CURVE), 0.0);
        assertEquals(0.05, CurveStatistic.LAST_CHANGE.of(CURVE), 1e-12, "|0.85 - 0.9|: a fall counts as a change too");
        assertEquals(-0.65, CurveStatistic.DROP.of(CURVE), 1e-12, "first - last: negative for a curve that rose");
        assertEquals(-3.25, CurveStatistic.RELATIVE_DROP.of(CURVE), 1e-12);
        assertEquals(-0.5, CurveStatistic.RELATIVE_DROP.of(new double[] {-2, -1}), 1e-12, "-2 to -1 rose by half of |first|");
    }

    @Test
    void theStepsReadAndTheirWording() {
        assertArrayEquals(new long[] {750, 1000}, CurveStatistic.LAST_CHANGE.stepsRead(STEPS));
        assertArrayEquals(new long[] {250, 1000}, CurveStatistic.DROP.stepsRead(STEPS));
        assertArrayEquals(new long[] {250}, CurveStatistic.FIRST.stepsRead(STEPS));
        assertEquals("last change between steps 750 and 1000",
                CurveStatistic.LAST_CHANGE.derivation(CurveStatistic.LAST_CHANGE.stepsRead(STEPS)));
        assertEquals("drop from step 250 to step 1000", CurveStatistic.DROP.derivation(CurveStatistic.DROP.stepsRead(STEPS)));
        assertEquals("last evaluation, at step 1000", CurveStatistic.LAST.derivation(CurveStatistic.LAST.stepsRead(STEPS)));
    }

    @Test
    void aChangeNeedsTwoPointsAValueOne() {
        assertEquals(2, CurveStatistic.LAST_CHANGE.minimumPoints());
        assertEquals(1, CurveStatistic.LAST.minimumPoints());
        assertEquals(0.4, CurveStatistic.LAST.of(new double[] {0.4}), 0.0);
        assertThrows(IllegalArgumentException.class, () -> CurveStatistic.DROP.of(new double[] {0.4}));
        assertEquals(java.util.List.of("first", "last", "last_change", "drop", "relative_drop"), CurveStatistic.yamlNames());
    }
}
