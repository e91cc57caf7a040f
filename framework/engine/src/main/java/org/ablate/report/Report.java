package org.ablate.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.Values;
import org.ablate.config.ConfigException;
import org.ablate.experiment.ClaimSpec;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.PlotSpec;
import org.ablate.experiment.ReportSpec;
import org.ablate.store.ExperimentFolder;

/**
 * An experiment's results aggregated over seeds, its plots' numbers and its claims checked.
 * {@code columns} are the parameters each configuration is shown with (the varying ones, then
 * those the file sweeps and this invocation fixed); {@code notes} say how the report differs from
 * the one the file's own sweep gives: first how this invocation's sweep differs (a parameter fixed,
 * one swept that the file does not), which bears on the claims, then the plots left out.
 */
public record Report(ExperimentSpec experiment, ExperimentResults results, List<Configuration> configurations,
                     List<String> metrics, List<PlotSpec> plotSpecs, List<PlotData> plots, List<ClaimResult> claims,
                     List<String> columns, List<String> notes, int sweepNoteCount) {

    /** A report of the file's own sweep: configurations shown with the varying parameters, no notes. */
    public Report(ExperimentSpec experiment, ExperimentResults results, List<Configuration> configurations,
                  List<String> metrics, List<PlotSpec> plotSpecs, List<PlotData> plots, List<ClaimResult> claims) {
        this(experiment, results, configurations, metrics, plotSpecs, plots, claims, results.varying(), List.of(), 0);
    }

    /** The notes on how this invocation's sweep differs from the file's (the first {@code sweepNoteCount}): what the claims cover. */
    public List<String> sweepNotes() {
        return notes.subList(0, sweepNoteCount);
    }

    public static Report build(ExperimentSpec experiment, ExperimentFolder folder) throws IOException {
        return build(experiment, folder, false);
    }

    /**
     * @param experiment the experiment file as written (without command-line overrides): its
     *                   report section is read against the sweep it declares
     * @param all        every trial in the folder, not only the latest invocation's
     */
    public static Report build(ExperimentSpec experiment, ExperimentFolder folder, boolean all) throws IOException {
        ReportSpec spec = experiment.report();
        ExperimentResults results = ExperimentResults.read(folder, all);
        FileSweep file = FileSweep.of(experiment);
        Map<String, Object> fixed = fixedHere(spec, file, results);
        List<Configuration> configurations = Configuration.aggregate(results, fixed);
        List<String> columns = new ArrayList<>(results.varying());
        columns.addAll(fixed.keySet());
        List<String> notes = new ArrayList<>();
        fixed.forEach((k, v) -> {
            List<String> swept = file.values(k).stream().map(Values::format).toList();
            if (swept.size() != 1) { // a file axis of one value is not this invocation's doing
                notes.add(k + " takes one value in this invocation (" + Values.format(v) + ") where the file sweeps "
                        + (swept.isEmpty() ? "it" : String.join(", ", swept))
                        + ": plots and claims cover that value only (a claim about another is INCONCLUSIVE)");
            }
        });
        List<String> metrics = Configuration.metricNames(results);
        boolean complete = results.finished().size() == results.planned();
        spec.validate(columns, new LinkedHashSet<>(metrics), complete);
        List<String> overrideSwept = results.varying().stream().filter(k -> !file.sweeps(k)).toList();
        PlotBuilder builder = new PlotBuilder(results, configurations, overrideSwept);
        List<PlotData> plots = new ArrayList<>();
        List<PlotSpec> drawn = new ArrayList<>();
        List<String> plotNotes = new ArrayList<>();
        for (int i = 0; i < spec.plots().size(); i++) {
            PlotSpec p = spec.plots().get(i);
            String which = "plot " + (i + 1) + " (" + p.metric() + " vs " + p.x() + ") left out: ";
            if (fixed.containsKey(p.x())) {
                plotNotes.add(which + p.x() + " takes one value in this invocation (" + Values.format(fixed.get(p.x())) + ")");
                continue;
            }
            java.util.Optional<String> notRun = configurations.stream().anyMatch(k -> k.matches(p.where()))
                    ? java.util.Optional.empty() : file.notRunHere(p.where(), configurations);
            if (notRun.isPresent()) {
                plotNotes.add(which + notRun.get());
                continue;
            }
            if (p.overSteps() || metrics.contains(p.metric())) { // else: not reported by any trial yet
                PlotData data = builder.build(p);
                if (p.overSteps() && complete && data.series().stream().allMatch(s -> s.x().length == 0)) {
                    // a misspelt history metric would otherwise give an empty plot
                    throw new ConfigException(p.origin(), "plot: no finished trial logged '" + p.metric() + "'"
                            + (p.maxStep() == null ? "" : " at or before max_step " + p.maxStep())
                            + " (x: step plots a metric logged during training)");
                }
                plots.add(data);
                drawn.add(p);
            }
        }
        builder.splitBy().forEach(k -> notes.add(k + " is swept by this invocation, not by the file: plots draw a series per value of it"));
        int sweepNotes = notes.size();
        notes.addAll(plotNotes);
        ClaimEvaluator evaluator = new ClaimEvaluator(configurations, file);
        List<ClaimResult> claims;
        try {
            claims = spec.claims().stream().map(evaluator::evaluate)
                    .map(c -> withNonFinite(withDamage(c, configurations), configurations, evaluator)).toList();
        } catch (java.io.UncheckedIOException e) { // a curve claim reads the trials' metric files
            throw e.getCause();
        }
        return new Report(experiment, results, configurations, metrics, drawn, plots, claims, List.copyOf(columns), List.copyOf(notes),
                sweepNotes);
    }

    /**
     * Parameters the report section names that the file sweeps and these trials hold at one value
     * (a command-line override fixed them), with that value from the trials' own configs.
     */
    private static Map<String, Object> fixedHere(ReportSpec spec, FileSweep file, ExperimentResults results) {
        Set<String> named = new LinkedHashSet<>();
        for (PlotSpec p : spec.plots()) {
            if (!p.overSteps()) {
                named.add(p.x());
            }
            if (p.group() != null) {
                named.add(p.group());
            }
            named.addAll(p.where().keySet());
        }
        for (ClaimSpec c : spec.claims()) {
            if (c.along() != null) {
                named.add(c.along());
            }
            named.addAll(c.where().keySet());
            if (c.baseline() != null) {
                named.addAll(c.baseline().keySet());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : named) {
            if (file.sweeps(k) && !results.varying().contains(k)) {
                results.trials().stream().filter(t -> (t.state() != null || t.damage() != null) && t.params().containsKey(k))
                        .findFirst().ifPresent(t -> out.put(k, t.params().get(k)));
            }
        }
        return out;
    }

    /**
     * A claim whose configurations lost trials to damaged files is judged on fewer seeds than
     * planned, and which seeds were lost is not random: a PASS becomes INCONCLUSIVE, and every
     * verdict says how many trials it is missing.
     */
    private static ClaimResult withDamage(ClaimResult c, List<Configuration> configurations) {
        ClaimSpec s = c.claim();
        int damaged = configurations.stream()
                .filter(k -> k.matches(s.where()) || (s.baseline() != null && k.matches(s.baseline())))
                .mapToInt(Configuration::damaged).sum();
        if (damaged == 0) {
            return c;
        }
        Verdict verdict = c.verdict() == Verdict.PASS ? Verdict.INCONCLUSIVE : c.verdict();
        String caveat = damaged + " trial(s) skipped as damaged" + (c.verdict() == Verdict.PASS ? " (PASS on the rest)" : "")
                + "; ablate run re-runs them";
        return new ClaimResult(s, verdict, c.rows(), caveat);
    }

    /**
     * Seeds whose value of the claim's metric is NaN or infinite have no place in a mean, so they
     * leave n; but an infinite error is a result, not a missing one (it may be what decides a FAIL):
     * a PASS without them becomes INCONCLUSIVE, and every verdict says how many were left out.
     */
    private static ClaimResult withNonFinite(ClaimResult c, List<Configuration> configurations, ClaimEvaluator evaluator) {
        ClaimSpec s = c.claim();
        int nonFinite = configurations.stream()
                .filter(k -> k.matches(s.where()) || (s.baseline() != null && k.matches(s.baseline())))
                .map(k -> evaluator.perSeed(k, s))
                .filter(java.util.Objects::nonNull)
                .mapToInt(Stat::nonFinite).sum();
        if (nonFinite == 0) {
            return c;
        }
        Verdict verdict = c.verdict() == Verdict.PASS ? Verdict.INCONCLUSIVE : c.verdict();
        String note = nonFinite + " non-finite value(s) of " + s.measure() + " left out of n"
                + (c.verdict() == Verdict.PASS ? " (PASS on the rest)" : "");
        return new ClaimResult(s, verdict, c.rows(), c.caveat().isEmpty() ? note : c.caveat() + "; " + note);
    }

    public boolean anyFailed() {
        return claims.stream().anyMatch(c -> c.verdict() == Verdict.FAIL);
    }
}
