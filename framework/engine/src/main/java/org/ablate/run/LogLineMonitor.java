package org.ablate.run;

import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;
import org.ablate.config.Durations;
import org.ablate.store.TrialState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** For logs and CI: a line per finished trial and a progress line every {@code interval}. */
final class LogLineMonitor implements SweepMonitor {

    private static final Logger LOG = LoggerFactory.getLogger("org.ablate.sweep");

    private final Duration interval;
    private final String headline;
    private int toRun;
    private int ended;
    private int failed;
    private long lastLine = System.nanoTime();

    LogLineMonitor(Duration interval, String headline) {
        this.interval = interval;
        this.headline = headline;
    }

    @Override
    public void started(int toRun, int alreadyFinished) {
        this.toRun = toRun;
        LOG.info("sweep: {} trial(s) to run, {} already finished", toRun, alreadyFinished);
    }

    @Override
    public synchronized void tick(Collection<? extends RunningTrial> running) {
        if (System.nanoTime() - lastLine < interval.toNanos() || running.isEmpty()) {
            return;
        }
        lastLine = System.nanoTime();
        LOG.info("progress: {}/{} trials done{}; running {}", ended, toRun,
                failed > 0 ? " (" + failed + " failed)" : "",
                running.stream().map(e -> e.spec().id() + " " + e.progress().describe()).collect(Collectors.joining(", ")));
    }

    @Override
    public synchronized void trialEnded(TrialOutcome o, Collection<? extends RunningTrial> running) {
        ended++;
        if (o.state() != TrialState.FINISHED) {
            failed++;
        }
        String metric = headlineValue(o, headline);
        LOG.info("[{}/{}] trial {} {} in {} ({}){}{}", ended, toRun, o.spec().id(), o.state(),
                Durations.format(o.duration()), o.spec().displayName(),
                metric.isEmpty() ? "" : ": " + metric,
                o.reason().isEmpty() ? "" : ": " + o.reason());
    }

    /** "error=0.0123" for the headline metric (or the first summary metric), else "". */
    static String headlineValue(TrialOutcome o, String headline) {
        if (o.summary().isEmpty()) {
            return "";
        }
        String key = headline != null && o.summary().containsKey(headline) ? headline : o.summary().keySet().iterator().next();
        return key + "=" + String.format(java.util.Locale.ROOT, "%.6g", o.summary().get(key));
    }

    @Override
    public void close() {
        // nothing held
    }
}
