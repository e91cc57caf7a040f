package org.ablate.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.ablate.store.TrialState;

/**
 * For a terminal: one line for the sweep ({@link ProgressLine}), redrawn every half second (the
 * progress bar library's continuous update), so the elapsed time and the running trials' own
 * progress move while a long trial runs, not only when one ends.
 */
final class TerminalMonitor implements SweepMonitor {

    static final int REDRAW_MS = 500;

    private final String experiment;
    private final String headline;
    private final ProgressBarConsumer consumer;
    private ProgressBar bar;
    private int toRun;
    private int ended;
    private int failed;
    private String last = "";
    private List<RunningTrial> running = List.of();
    private final Object closing = new Object();

    TerminalMonitor(String experiment, String headline) {
        this(experiment, headline, new TerminalLine(System.err));
    }

    /** With the line's destination given (a test captures the lines). */
    TerminalMonitor(String experiment, String headline, ProgressBarConsumer consumer) {
        this.experiment = experiment;
        this.headline = headline;
        this.consumer = consumer;
    }

    @Override
    public synchronized void started(int toRun, int alreadyFinished) {
        this.toRun = toRun;
        if (alreadyFinished > 0) {
            last = alreadyFinished + " already finished";
        }
        bar = new ProgressBarBuilder()
                .setTaskName(experiment)
                .setInitialMax(Math.max(1, toRun))
                .setUpdateIntervalMillis(REDRAW_MS)
                .continuousUpdate() // redraw without a step: the clock and the trial's own progress move
                .setRenderer((progress, width) -> ProgressLine.render(state(progress.getTotalElapsed()), width))
                .setConsumer(consumer)
                .build();
    }

    /** What the line shows now; the running trials' progress is read live at each redraw. */
    synchronized ProgressLine.State state(java.time.Duration elapsed) {
        List<ProgressLine.Running> now = new ArrayList<>();
        for (RunningTrial e : running) {
            TrialProgress p = e.progress();
            now.add(new ProgressLine.Running(e.spec().id(), p.done(), p.total(), p.message()));
        }
        return new ProgressLine.State(experiment, ended, toRun, failed, elapsed, now, last);
    }

    @Override
    public synchronized void tick(Collection<? extends RunningTrial> running) {
        this.running = List.copyOf(running);
    }

    @Override
    public synchronized void trialEnded(TrialOutcome o, Collection<? extends RunningTrial> running) {
        this.running = List.copyOf(running);
        ended++;
        if (o.state() == TrialState.FAILED) { // an INTERRUPTED trial did not fail; the last-ended text says so
            failed++;
        }
        String metric = LogLineMonitor.headlineValue(o, headline);
        last = o.spec().id().substring(0, 6) + " " + o.state() + (metric.isEmpty() ? "" : " " + metric);
        if (bar != null) {
            bar.step();
        }
    }

    /**
     * Draws the line a last time and ends it. The sweep's main thread and the Ctrl-C hook may both
     * call this; the second waits for the first, so the hook's summary line comes after the bar's.
     */
    @Override
    public void close() {
        synchronized (closing) {
            ProgressBar b;
            synchronized (this) {
                b = bar;
                bar = null;
            }
            if (b != null) {
                b.close(); // outside this monitor's lock: its last redraw calls state()
            }
        }
    }
}
