package org.ablate.experiment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Suggestions;
import org.ablate.spi.MetricSchema;

/**
 * The headline checked against the summary metrics its task declares, before anything runs: a
 * misspelt one would otherwise run the whole sweep and leave `ablate status` showing another metric.
 */
public final class HeadlineCheck {

    /** A top-level {@code headline:} line (block style, as every example writes it). */
    private static final Pattern HEADLINE_LINE = Pattern.compile("(?m)^headline\\s*:");

    private HeadlineCheck() {
    }

    /** Throws a located {@link ConfigException} when the task declares its metrics and the headline is not one. */
    public static void check(SweepPlan plan) {
        String headline = plan.experiment().headline();
        MetricSchema metrics = plan.task().metrics();
        if (headline == null || !metrics.declared() || metrics.hasSummary(headline)) {
            return;
        }
        String hint = metrics.hasStep(headline) ? "; it is logged per step, the headline is a summary metric"
                : Suggestions.didYouMean(headline, metrics.summaryNames());
        throw new ConfigException(origin(plan.experiment()), "'" + headline + "' is not a summary metric of task '"
                + plan.task().name() + "'" + hint + " (declared: " + String.join(", ", metrics.summaryNames()) + ")");
    }

    /** The spec keeps the headline's value only: find its line (a W&B sweep's metric.name has none). */
    private static Origin origin(ExperimentSpec spec) {
        Matcher m = HEADLINE_LINE.matcher(spec.sourceText() == null ? "" : spec.sourceText());
        if (!m.find()) {
            return new Origin(spec.sourceFile(), 0, "headline (sweep.metric.name)");
        }
        int line = 1 + (int) spec.sourceText().substring(0, m.start()).chars().filter(c -> c == '\n').count();
        return new Origin(spec.sourceFile(), line, "headline");
    }
}
