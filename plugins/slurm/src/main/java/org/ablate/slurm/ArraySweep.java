package org.ablate.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.TrialCommand;
import org.ablate.spi.launch.TrialDeadline;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.spi.launch.TrialProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep as one Slurm job array, attached: every pending trial is announced, the batch script is
 * written into {@code <experiment>/slurm/} and submitted, then the array is watched with squeue
 * until every task has ended. The trials write their own folders (the results folder is on the
 * shared filesystem), from which the engine shows progress and mirrors to MLflow. A task Slurm
 * ended (time limit, out of memory, node failure, scancel) is recorded FAILED with Slurm's reason;
 * Ctrl-C cancels the array and its trials end INTERRUPTED.
 */
final class ArraySweep {

    static final String FOLDER = "slurm";
    private static final Logger LOG = LoggerFactory.getLogger(ArraySweep.class);
    private static final long POLL_MS = 1_000;
    /** squeue failing this long in a row (the controller gone) ends the watch. */
    private static final Duration QUEUE_UNREACHABLE = Duration.ofMinutes(5);

    private final LaunchContext context;
    private final Parameters options;

    ArraySweep(LaunchContext context) {
        this.context = context;
        this.options = context.options();
    }

    void run(List<LaunchTrial> trials) throws InterruptedException {
        List<LaunchTrial> announced = new ArrayList<>();
        for (LaunchTrial t : trials) {
            if (context.cancellation().isCancelled() || !context.starting(t)) {
                break;
            }
            announced.add(t);
        }
        if (announced.isEmpty()) {
            return;
        }
        String jobId;
        Path script;
        try {
            script = writeScript(announced);
            jobId = submit(script);
        } catch (IOException | SlurmException e) {
            String why = e instanceof SlurmException ? e.getMessage() : "cannot write the batch script: " + e;
            LOG.error("slurm launcher: {}", why);
            announced.forEach(t -> context.ended(t, TrialEnd.failed(why, "")));
            return;
        }
        LOG.info("submitted {} trial(s) as Slurm job array {} ({})", announced.size(), jobId, script);
        watch(jobId, announced, script.getParent());
    }

    private Path writeScript(List<LaunchTrial> trials) throws IOException {
        Path dir = Files.createDirectories(context.experimentDir().resolve(FOLDER));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT));
        Path script = dir.resolve("array-" + stamp + ".sbatch");
        LaunchTrial first = trials.get(0);
        TrialCommand command = context.command(first)
                .withJvmOptions(SlurmLauncher.jvmOptions(first.resources(), options.getString("jvm_options")))
                .withEnvironment(TrialProcess.environment(first.resources(), List.of()));
        BatchScript.write(script, "ablate-" + context.experimentDir().getFileName(), trials, command, options,
                context.trialTimeout(), false);
        return script;
    }

    private static String submit(Path script) throws SlurmException {
        String out = SlurmCommands.check(List.of("sbatch", "--parsable", script.toString())).strip();
        // --parsable prints "JOBID" or "JOBID;CLUSTER"
        String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
        if (!id.matches("[0-9]+")) {
            throw new SlurmException("sbatch printed no job id: " + out);
        }
        return id;
    }

    private void watch(String jobId, List<LaunchTrial> trials, Path outputDir) throws InterruptedException {
        Map<Integer, LaunchTrial> open = new LinkedHashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            open.put(i, trials.get(i));
        }
        Map<Integer, TrialDeadline> deadlines = new HashMap<>();
        Map<Integer, String> cancelledBecause = new HashMap<>();
        long unreachableSince = 0;
        while (!open.isEmpty()) {
            if (context.cancellation().isCancelled()) {
                cancelAll(jobId, open);
                return;
            }
            Map<Integer, ArrayTask> queue;
            try {
                queue = ArrayTask.parse(SlurmCommands.check(List.of("squeue", "-h", "-r", "-t", "all", "-j", jobId,
                        "-o", ArrayTask.FORMAT)));
                unreachableSince = 0;
            } catch (SlurmException e) {
                long now = System.nanoTime();
                unreachableSince = unreachableSince == 0 ? now : unreachableSince;
                if (now - unreachableSince < QUEUE_UNREACHABLE.toNanos()) {
                    LOG.warn("squeue failed (retrying): {}", e.getMessage());
                    sleep();
                    continue;
                }
                queue = Map.of();
            }
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                int index = entry.getKey();
                LaunchTrial trial = entry.getValue();
                ArrayTask task = queue.get(index);
                if (task != null && task.active()) {
                    if (!task.running()) {
                        deadlines.remove(index); // queued again (requeued): its time counts from its next start
                    } else if (deadlines.computeIfAbsent(index, i -> TrialDeadline.launchedNow(context, trial)).passed()
                            && !cancelledBecause.containsKey(index)) {
                        String after = format(context.trialTimeout().orElseThrow());
                        LOG.warn("trial {} timed out after {}; cancelling its Slurm task {}_{}", trial.id(), after, jobId, index);
                        cancelledBecause.put(index, "timed out after " + after);
                        cancel(jobId + "_" + index);
                    }
                    continue;
                }
                it.remove();
                context.ended(trial, ended(task, cancelledBecause.get(index), outputDir.resolve(jobId + "_" + index + ".out")));
            }
            if (!open.isEmpty()) {
                sleep();
            }
        }
    }

    /**
     * How an ended task maps to the trial's end. A task that is no longer listed (the controller
     * forgot it) is left to the trial's own record.
     */
    private TrialEnd ended(ArrayTask task, String cancelledBecause, Path output) {
        if (task == null || task.completed()) {
            return TrialEnd.recorded();
        }
        String tail = tail(output, options.getInt("output_lines"));
        if (cancelledBecause != null) {
            return TrialEnd.killed(cancelledBecause, tail);
        }
        if (task.state().equals("FAILED")) {
            // the trial's process exited non-zero: its own record (a task that threw) is preferred
            return TrialEnd.failed(task.describe(), tail);
        }
        return TrialEnd.killed(task.describe(), tail);
    }

    /** Ctrl-C: cancels the array, waits (up to the cancel grace) for its tasks to end, and reports them interrupted. */
    private void cancelAll(String jobId, Map<Integer, LaunchTrial> open) {
        cancel(jobId);
        long deadline = System.nanoTime() + context.cancelGrace().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<Integer, ArrayTask> queue = ArrayTask.parse(SlurmCommands.check(List.of("squeue", "-h", "-r", "-t",
                        "all", "-j", jobId, "-o", ArrayTask.FORMAT)));
                if (queue.values().stream().noneMatch(t -> open.containsKey(t.index()) && t.active())) {
                    break;
                }
                Thread.sleep(200);
            } catch (SlurmException | InterruptedException e) {
                break;
            }
        }
        String reason = context.cancellation().reason();
        open.values().forEach(t -> context.ended(t, TrialEnd.interrupted(reason)));
    }

    private static void cancel(String job) {
        try {
            SlurmCommands.check(List.of("scancel", job));
        } catch (SlurmException e) {
            LOG.warn("scancel {} failed: {}", job, e.getMessage());
        }
    }

    private void sleep() throws InterruptedException {
        for (long waited = 0; waited < POLL_MS && !context.cancellation().isCancelled(); waited += 100) {
            Thread.sleep(100);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException missing) {
            return "";
        }
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
