package org.ablate.launch;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ablate.config.Durations;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.ClassArchive;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.launch.Resources;
import org.ablate.spi.launch.TrialCommand;
import org.ablate.spi.launch.TrialDeadline;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.spi.launch.TrialProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each trial in a child JVM ({@code ablate run-trial}), which re-creates the plan, writes the
 * trial's folder and exits; up to the parallelism at once. The child gets its thread counts from
 * {@code resources.cpus} and its heap from {@code resources.memory}. At the timeout, or on Ctrl-C,
 * the child's whole process tree is killed (a task's own subprocesses too); a child that dies
 * without recording its end is recorded FAILED with its exit code and the tail of its output.
 * Tracking credentials are not passed on: the parent mirrors the trial from its folder.
 */
public final class ProcessLauncher implements Launcher {

    public static final String NAME = "process";
    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.string("jvm_options").defaultValue("")
                    .doc("Extra JVM options for each child, separated by spaces (e.g. -XX:+UseSerialGC)."),
            Param.string("devices").defaultValue("")
                    .doc("GPU device ids to hand out, comma-separated (e.g. 0,1): a trial asking for gpus: N gets N"
                            + " free ones as CUDA_VISIBLE_DEVICES. Empty: CUDA_VISIBLE_DEVICES is left as it is."),
            Param.bool("class_archive").defaultValue(true)
                    .doc("Share loaded classes between children (a CDS archive under java.io.tmpdir, written by the"
                            + " first child): faster child start-up."),
            Param.integer("output_lines").defaultValue(40).range(1, 10_000)
                    .doc("Last lines of a child's output kept in the status of a trial whose process died."));
    private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);
    private static final long POLL_MS = 50;

    /**
     * Children run on this machine: without {@code devices} to hand out, a GPU request needs a GPU
     * that ND4J here can use (the children see the same); with them, the devices are the user's word.
     */
    @Override
    public void check(Resources resources, Parameters options) {
        if (options.getString("devices").isBlank()) {
            LocalGpus.require(resources.gpus());
        }
    }

    @Override
    public void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        Parameters options = context.options();
        DevicePool devices = DevicePool.parse(options.getString("devices"));
        ClassArchive archive = options.getBoolean("class_archive") && !trials.isEmpty()
                ? ClassArchive.forCommand(context.command(trials.get(0))) : null;
        Semaphore slots = new Semaphore(context.parallelism());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (LaunchTrial trial : trials) {
            slots.acquire();
            List<String> granted;
            try {
                granted = devices.acquire(trial.resources().gpus(), context);
            } catch (IllegalArgumentException tooMany) {
                slots.release();
                if (context.starting(trial)) {
                    context.ended(trial, TrialEnd.failed(tooMany.getMessage(), ""));
                }
                continue;
            }
            if (context.cancellation().isCancelled() || granted == null || !context.starting(trial)) {
                devices.release(granted);
                slots.release();
                break;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread watcher = new Thread(() -> {
                try {
                    context.ended(trial, run(trial, context, granted, archive));
                } catch (RuntimeException e) {
                    context.ended(trial, TrialEnd.failed("the process launcher failed: " + e, ""));
                } finally {
                    devices.release(granted);
                    slots.release();
                    done.complete(null);
                }
            }, "trial-process-" + trial.id());
            watcher.setDaemon(true);
            running.add(done);
            watcher.start();
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    private static TrialEnd run(LaunchTrial trial, LaunchContext context, List<String> devices, ClassArchive archive) {
        ClassArchive.Use classes = archive == null ? ClassArchive.Use.NONE : archive.next(trial.index());
        TrialEnd end = null;
        try {
            end = run(trial, context, devices, classes.jvmOptions());
            return end;
        } finally {
            if (archive != null) {
                archive.finished(classes, end != null && end.kind() == TrialEnd.Kind.RECORDED);
            }
        }
    }

    private static TrialEnd run(LaunchTrial trial, LaunchContext context, List<String> devices, List<String> classOptions) {
        Parameters options = context.options();
        Map<String, String> environment = new LinkedHashMap<>(TrialProcess.environment(trial.resources(), devices));
        if (devices.isEmpty() && !options.getString("devices").isBlank()) {
            environment.put("CUDA_VISIBLE_DEVICES", ""); // handing out GPUs, none to this trial: it must not use another's
        }
        TrialCommand command = context.command(trial)
                .withJvmOptions(classOptions)
                .withJvmOptions(TrialProcess.jvmOptions(trial.resources(), options.getString("jvm_options")))
                .withEnvironment(environment);
        TrialProcess child;
        try {
            child = TrialProcess.start(command, options.getInt("output_lines"), "trial-output-" + trial.id());
        } catch (IOException e) {
            return TrialEnd.failed("cannot start the trial's process: " + e.getMessage(), String.join(" ", command.argv()));
        }
        TrialDeadline deadline = TrialDeadline.launchedNow(context, trial);
        try {
            while (!child.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (context.cancellation().isCancelled()) {
                    child.killTree();
                    return TrialEnd.interrupted(context.cancellation().reason());
                }
                if (deadline.passed()) {
                    child.killTree();
                    Duration timeout = context.trialTimeout().orElseThrow();
                    LOG.warn("trial {} timed out after {}; killed its process tree", trial.id(), Durations.format(timeout));
                    return TrialEnd.failed("timed out after " + Durations.format(timeout), child.output());
                }
            }
        } catch (InterruptedException e) {
            child.killTree();
            Thread.currentThread().interrupt();
            return TrialEnd.interrupted("interrupted: the launcher was stopped");
        }
        int code = child.exitValue();
        if (code == 0) {
            return TrialEnd.recorded();
        }
        // the child may have recorded its own end (a task that threw exits 1): the engine prefers that record
        return TrialEnd.failed(TrialProcess.exitReason(code), child.output());
    }
}
