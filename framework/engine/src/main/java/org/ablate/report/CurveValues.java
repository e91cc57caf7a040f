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
 * {@code tooShort}, so the claim can say why its n is smaller, instead of silently averaging the rest.
 *
 * @param stat        the statistic over the trials that have one (Student-t interval)
 * @param finished    the configuration's finished trials
 * @param tooShort    finished trials whose curve has too few points
 * @param derivations how each trial's value was read ("last change between steps 2750 and 3000"), distinct, in trial order
 */
record CurveValues(CurveStatistic curve, String metric, Stat stat, int finished, int tooShort, List<String> derivations) {

    static CurveValues of(List<TrialResult> done, String metric, CurveStatistic curve) throws IOException {
        List<Double> values = new ArrayList<>();
        Set<String> derivations = new LinkedHashSet<>();
        int tooShort = 0;
        for (TrialResult t : done) {
            TreeMap<Long, Double> history = StepHistory.read(t.folder(), metric);
            if (history.size() < curve.minimumPoints()) {
                tooShort++;
                continue;
            }
            long[] steps = history.keySet().stream().mapToLong(Long::longValue).toArray();
            values.add(curve.of(history.values().stream().mapToDouble(Double::doubleValue).toArray()));
            derivations.add(curve.derivation(curve.stepsRead(steps)));
        }
        return new CurveValues(curve, metric, Stat.of(values.stream().mapToDouble(Double::doubleValue).toArray()), done.size(),
                tooShort, List.copyOf(derivations));
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
        if (tooShort == 0) {
            return "";
        }
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
