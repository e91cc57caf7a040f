package org.ablate.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.ablate.experiment.CurveStatistic;

/**
 * A curve claim's per-trial values over one configuration's finished seeds: each trial's
 * statistic of its step curve of the metric, aggregated like a summary. A finished trial that
 * logged the metric at fewer steps than the statistic needs has no value; it is counted in
 * {@code tooShort}, so the claim can say why its n is smaller, instead of silently averaging the rest;
 * one whose statistic is not a number (relative_drop from a first value of 0, a NaN in the curve) is
 * left out and counted in {@code undefined} alike, rather than making the whole interval infinite.
 *
 * @param stat        the statistic over the trials that have one (Student-t interval)
 * @param finished    the configuration's finished trials
 * @param tooShort    finished trials whose curve has too few points
 * @param undefined   finished trials whose curve gives no finite statistic
 * @param derivations how each trial's value was read ("last change between steps 2750 and 3000"), distinct, in trial order
 */
record CurveValues(CurveStatistic curve, String metric, Stat stat, int finished, int tooShort, int undefined,
                   List<String> derivations) {

    static CurveValues of(List<TrialResult> done, String metric, CurveStatistic curve) throws IOException {
        List<Double> values = new ArrayList<>();
        Set<String> derivations = new LinkedHashSet<>();
        int tooShort = 0;
        int undefined = 0;
        for (TrialResult t : done) {
            TreeMap<Long, Double> history = StepHistory.read(t.folder(), metric);
            if (history.size() < curve.minimumPoints()) {
                tooShort++;
                continue;
            }
            long[] steps = history.keySet().stream().mapToLong(Long::longValue).toArray();
            double value = curve.of(history.values().stream().mapToDouble(Double::doubleValue).toArray());
            if (!Double.isFinite(value)) {
                undefined++;
                continue;
            }
            values.add(value);
            derivations.add(curve.derivation(curve.stepsRead(steps)));
        }
        return new CurveValues(curve, metric, Stat.of(values.stream().mapToDouble(Double::doubleValue).toArray()), done.size(),
                tooShort, undefined, List.copyOf(derivations));
    }

    /** "eval/utilization, last change between steps 2750 and 3000" (the steps of each seed where they differ). */
    String derivation() {
        if (derivations.isEmpty()) {
            return metric + ", " + curve.yamlName() + ": no curve";
        }
        return metric + ", " + String.join("; ", derivations.size() <= 3 ? derivations
                : List.of(derivations.get(0), "…", derivations.get(derivations.size() - 1)));
    }

    /** Why trials are missing from n, or "" when none is. */
    String shortfall() {
        List<String> why = new ArrayList<>();
        if (tooShort > 0) {
            why.add(tooShortReason());
        }
        if (undefined > 0) {
            why.add(undefined + " of " + finished + " finished trial(s) have no finite " + curve.yamlName() + " of '" + metric + "'"
                    + (curve == CurveStatistic.RELATIVE_DROP ? " (a curve starting at 0, or a NaN in it)" : " (a NaN or infinity in the curve)")
                    + ", so they have no value");
        }
        return String.join("; ", why);
    }

    private String tooShortReason() {
        int need = curve.minimumPoints();
        if (tooShort == finished) {
            return "no finished trial logged step metric '" + metric + "' at " + (need == 1 ? "any step" : need + " or more steps")
                    + " (curve: " + curve.yamlName() + " needs " + need + "; results recorded before the task logged it,"
                    + " or too few evaluations)";
        }
        return tooShort + " of " + finished + " finished trial(s) logged '" + metric + "' at "
                + (need == 1 ? "no step" : "fewer than " + need + " steps") + " (curve: " + curve.yamlName() + " needs " + need
                + "), so they have no value";
    }
}
