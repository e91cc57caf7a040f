package org.ablate.run;

import java.time.Duration;
import org.ablate.tracking.TrackerFactory;

/**
 * How to run a sweep: trials at once, a per-trial timeout (overrides the experiment's), whether
 * to start over, how progress is shown, and where the sweep is mirrored (MLflow).
 */
public record RunOptions(int parallel, Duration trialTimeout, boolean fresh, Display display,
                         Duration logInterval, Duration timeoutGrace, TrackerFactory tracking) {

    /** A bar on a terminal, periodic log lines otherwise. */
    public enum Display { BAR, LOG_LINES }

    public RunOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
    }

    public static RunOptions defaults() {
        return new RunOptions(1, null, false, Display.LOG_LINES, Duration.ofSeconds(30), Duration.ofSeconds(30),
                TrackerFactory.NONE);
    }

    public RunOptions withParallel(int n) {
        return new RunOptions(n, trialTimeout, fresh, display, logInterval, timeoutGrace, tracking);
    }

    public RunOptions withTrialTimeout(Duration d) {
        return new RunOptions(parallel, d, fresh, display, logInterval, timeoutGrace, tracking);
    }

    public RunOptions withFresh(boolean f) {
        return new RunOptions(parallel, trialTimeout, f, display, logInterval, timeoutGrace, tracking);
    }

    public RunOptions withDisplay(Display d) {
        return new RunOptions(parallel, trialTimeout, fresh, d, logInterval, timeoutGrace, tracking);
    }

    public RunOptions withTracking(TrackerFactory t) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, timeoutGrace, t);
    }

    public RunOptions withTimeoutGrace(Duration g) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, g, tracking);
    }
}
