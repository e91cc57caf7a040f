package org.ablate.spi.launch;

import java.time.Duration;
import java.util.Optional;

/**
 * When a trial run elsewhere has used up its time limit. The limit counts from the start the trial
 * records (as it does in process), so that the start-up of its process — a JVM, the plugins, the
 * plan — is not taken from it; until the trial records its start, from the launch, so that one
 * stuck in start-up is still stopped. Poll {@link #passed()} from the thread that waits for the trial.
 */
public final class TrialDeadline {

    private final LaunchContext context;
    private final LaunchTrial trial;
    private final long limitNanos;
    private long deadline;
    private boolean started;

    private TrialDeadline(LaunchContext context, LaunchTrial trial, Optional<Duration> limit) {
        this.context = context;
        this.trial = trial;
        this.limitNanos = limit.map(Duration::toNanos).orElse(0L);
        this.deadline = System.nanoTime() + limitNanos;
    }

    /** The deadline of a trial launched now, under the sweep's per-trial timeout (none: it never passes). */
    public static TrialDeadline launchedNow(LaunchContext context, LaunchTrial trial) {
        return new TrialDeadline(context, trial, context.trialTimeout());
    }

    /** True once the limit is used up; false forever when the sweep has no timeout. */
    public boolean passed() {
        if (limitNanos == 0) {
            return false;
        }
        if (!started && context.started(trial)) {
            started = true;
            deadline = System.nanoTime() + limitNanos;
        }
        return System.nanoTime() - deadline >= 0;
    }
}
