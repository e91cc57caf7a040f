package org.ablate.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.spi.launch.TrialProcess;

/**
 * A launcher that runs every trial twice at once, as staged attempts {@code a} and {@code b} of
 * real {@code run-trial} children (what speculative execution or a re-queued job does), and reports
 * the end of attempt {@code a} only: the engine must commit one attempt and archive the other.
 */
public final class DuplicateAttemptsLauncher implements Launcher {

    public static final String NAME = "duplicate-attempts";
    public static final ParameterSchema SCHEMA = ParameterSchema.empty();

    @Override
    public void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        for (LaunchTrial trial : trials) {
            if (!context.starting(trial)) {
                return;
            }
            try {
                TrialProcess a = TrialProcess.start(context.command(trial).withAttempt("a"), 40, "attempt-a-" + trial.id());
                TrialProcess b = TrialProcess.start(context.command(trial).withAttempt("b"), 40, "attempt-b-" + trial.id());
                a.waitFor(5, TimeUnit.MINUTES);
                b.waitFor(5, TimeUnit.MINUTES);
                context.ended(trial, (a.exitValue() == 0 ? TrialEnd.recorded()
                        : TrialEnd.failed(TrialProcess.exitReason(a.exitValue()), a.output())).ofAttempt("a"));
            } catch (IOException e) {
                context.ended(trial, TrialEnd.failed("cannot start: " + e.getMessage(), ""));
            }
        }
    }
}
