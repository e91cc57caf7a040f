package org.ablate.run;

import java.util.Collection;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** For a terminal: one bar for the sweep, with the running trials' own progress beside it. */
final class TerminalMonitor implements SweepMonitor {

    private final String experiment;
    private final String headline;
    private ProgressBar bar;
    private String last = "";

    TerminalMonitor(String experiment, String headline) {
        this.experiment = experiment;
        this.headline = headline;
    }

    @Override
    public synchronized void started(int toRun, int alreadyFinished) {
        bar = new ProgressBarBuilder()
                .setTaskName(experiment)
                .setInitialMax(toRun)
                .setUnit(" trials", 1)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(250)
                .build();
        if (alreadyFinished > 0) {
            last = alreadyFinished + " already finished";
            bar.setExtraMessage(last);
        }
    }

    @Override
    public synchronized void tick(Collection<TrialExecution> running) {
        if (bar == null) {
            return;
        }
        String now = running.stream()
                .map(e -> e.spec().id().substring(0, 6) + " " + e.progress().describe())
                .collect(Collectors.joining(" | "));
        bar.setExtraMessage(now.isEmpty() ? last : now);
    }

    @Override
    public synchronized void trialEnded(TrialOutcome o, Collection<TrialExecution> running) {
        if (bar == null) {
            return;
        }
        String metric = LogLineMonitor.headlineValue(o, headline);
        last = o.spec().id().substring(0, 6) + " " + o.state() + (metric.isEmpty() ? "" : " " + metric);
        bar.step();
        bar.setExtraMessage(last);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
