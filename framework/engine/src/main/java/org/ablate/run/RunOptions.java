package org.ablate.run;

import java.time.Duration;
import org.ablate.tracking.TrackerFactory;

/**
 * How to run a sweep: trials at once, a per-trial timeout (overrides the experiment's), whether
 * to start over, how progress is shown, where the sweep is mirrored (MLflow), where its trials run
 * (the launcher), and how a child process re-creates the plan (null: only in-process launchers work).
 */
public record RunOptions(int parallel, Duration trialTimeout, boolean fresh, Display display,
                         Duration logInterval, Duration timeoutGrace, TrackerFactory tracking,
                         LaunchChoice launcher, TrialCommands commands) {

    /** A bar on a terminal, periodic log lines otherwise. */
    public enum Display { BAR, LOG_LINES }

    public RunOptions {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, got " + parallel);
        }
        launcher = launcher == null ? LaunchChoice.IN_PROCESS : launcher;
    }

    public static RunOptions defaults() {
        return new RunOptions(1, null, false, Display.LOG_LINES, Duration.ofSeconds(30), Duration.ofSeconds(30),
                TrackerFactory.NONE, LaunchChoice.IN_PROCESS, null);
    }

    public RunOptions withParallel(int n) {
        return new RunOptions(n, trialTimeout, fresh, display, logInterval, timeoutGrace, tracking, launcher, commands);
    }

    public RunOptions withTrialTimeout(Duration d) {
        return new RunOptions(parallel, d, fresh, display, logInterval, timeoutGrace, tracking, launcher, commands);
    }

    public RunOptions withFresh(boolean f) {
        return new RunOptions(parallel, trialTimeout, f, display, logInterval, timeoutGrace, tracking, launcher, commands);
    }

    public RunOptions withDisplay(Display d) {
        return new RunOptions(parallel, trialTimeout, fresh, d, logInterval, timeoutGrace, tracking, launcher, commands);
    }

    public RunOptions withTracking(TrackerFactory t) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, timeoutGrace, t, launcher, commands);
    }

    public RunOptions withTimeoutGrace(Duration g) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, g, tracking, launcher, commands);
    }

    public RunOptions withLauncher(LaunchChoice l) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, timeoutGrace, tracking, l, commands);
    }

    public RunOptions withCommands(TrialCommands c) {
        return new RunOptions(parallel, trialTimeout, fresh, display, logInterval, timeoutGrace, tracking, launcher, c);
    }
}
