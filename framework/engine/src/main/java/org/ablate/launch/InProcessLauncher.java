package org.ablate.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ablate.config.Durations;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.InProcessTrial;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.launch.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default launcher: each trial on its own thread of this JVM, up to the parallelism at once. A
 * trial past its timeout is cancelled (FAILED); one that ignores the cancellation for the grace
 * period is recorded FAILED and left to die with the JVM. Resource requests cannot be enforced on
 * a thread, so they are ignored (said once in the log).
 */
public final class InProcessLauncher implements Launcher {

    public static final String NAME = "in-process";
    public static final ParameterSchema SCHEMA = ParameterSchema.empty();
    private static final Logger LOG = LoggerFactory.getLogger(InProcessLauncher.class);

    /** Trials run in this JVM: a GPU request needs a GPU that ND4J here can use. */
    @Override
    public void check(Resources resources, Parameters options) {
        LocalGpus.require(resources.gpus());
    }

    @Override
    public void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        if (trials.stream().anyMatch(t -> !t.resources().isEmpty())) {
            LOG.info("launcher in-process: trials share this JVM, so 'resources:' is recorded but not applied"
                    + " (--launcher process gives each trial its own threads and heap)");
        }
        Semaphore slots = new Semaphore(context.parallelism());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        ScheduledExecutorService watchdog = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "trial-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (LaunchTrial trial : trials) {
                slots.acquire();
                InProcessTrial run = context.inProcess(trial);
                if (context.cancellation().isCancelled() || !run.start()) {
                    slots.release();
                    break;
                }
                CompletableFuture<Void> done = run.done().whenComplete((v, e) -> slots.release());
                running.add(done);
                context.trialTimeout().ifPresent(timeout -> watch(trial, run, timeout, context.cancelGrace(), watchdog));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void watch(LaunchTrial trial, InProcessTrial run, Duration timeout, Duration grace,
                              ScheduledExecutorService watchdog) {
        String reason = "timed out after " + Durations.format(timeout);
        watchdog.schedule(() -> run.timeOut(reason), timeout.toMillis(), TimeUnit.MILLISECONDS);
        watchdog.schedule(() -> {
            if (!run.done().isDone()) {
                LOG.warn("trial {} ignored its cancellation for {}; recording it FAILED and moving on",
                        trial.id(), Durations.format(grace));
                run.giveUp(reason + "; the task did not stop within " + Durations.format(grace) + " of cancellation");
            }
        }, timeout.plus(grace).toMillis(), TimeUnit.MILLISECONDS);
    }
}
