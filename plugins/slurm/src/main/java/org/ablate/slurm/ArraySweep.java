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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * One sweep on Slurm. Pending trials that an earlier (detached) submission still has queued or
 * running are attached to; the others are announced, written into one batch script in {@code
 * <experiment>/slurm/} and submitted as one job array. Attached (the default), the arrays are
 * watched with squeue until every task has ended; each task stages its attempt ({@code run-trial
 * --attempt JOB_TASK.RESTART}, the results folder is on the shared filesystem), from which the
 * engine shows progress and mirrors to MLflow, and which it commits when the task ends. A task
 * Slurm ended (time limit, out of memory, node failure, scancel) is recorded FAILED with Slurm's
 * reason; Ctrl-C cancels the arrays and their trials end INTERRUPTED. When squeue stops answering
 * for {@code squeue_patience_s}, the open trials are left to Slurm as if detached. Detached, this returns once
 * the array is submitted; the tasks' attempts stay staged until a later sweep attaches or, once
 * they have ended, commits them at its start.
 */
final class ArraySweep {

    static final String FOLDER = "slurm";
    /** Where {@code run-trial --attempt} stages attempts: {@code <experiment>/.staging/<id>/<attempt>/} (the store's layout). */
    private static final String STAGING = ".staging";
    private static final Logger LOG = LoggerFactory.getLogger(ArraySweep.class);
    private static final long POLL_MS = 1_000;

    private final LaunchContext context;
    private final Parameters options;
    private final Path dir;

    ArraySweep(LaunchContext context) {
        this.context = context;
        this.options = context.options();
        this.dir = context.experimentDir().resolve(FOLDER);
    }

    void run(List<LaunchTrial> trials) throws InterruptedException {
        Map<String, LaunchTrial> watched = new LinkedHashMap<>(); // by task key JOB_INDEX
        List<LaunchTrial> toSubmit = new ArrayList<>();
        Map<String, String> toAttach = toAttach();
        for (LaunchTrial t : trials) {
            if (context.cancellation().isCancelled()) {
                break;
            }
            String task = toAttach.get(t.id());
            if (task != null) {
                if (!context.attaching(t)) {
                    break;
                }
                LOG.info("trial {} is still in Slurm's queue as task {}: attaching", t.id(), task);
                watched.put(task, t);
            } else {
                toSubmit.add(t);
            }
        }
        List<LaunchTrial> announced = new ArrayList<>();
        for (LaunchTrial t : toSubmit) {
            if (context.cancellation().isCancelled() || !context.starting(t)) {
                break;
            }
            announced.add(t);
        }
        if (!announced.isEmpty()) {
            try {
                Path script = writeScript(announced);
                String job = submit(script);
                SubmittedJobs.add(dir, new SubmittedJobs.Job(job, script.getFileName().toString(),
                        announced.stream().map(LaunchTrial::id).toList()));
                LOG.info("submitted {} trial(s) as Slurm job array {} ({})", announced.size(), job, script);
                for (int i = 0; i < announced.size(); i++) {
                    watched.put(ArrayTask.key(job, i), announced.get(i));
                }
            } catch (IOException | SlurmException e) {
                String why = e instanceof SlurmException ? e.getMessage() : "cannot write the batch script: " + e;
                LOG.error("slurm launcher: {}", why);
                announced.forEach(t -> context.ended(t, TrialEnd.failed(why, "")));
            }
        }
        if (watched.isEmpty()) {
            return;
        }
        if (options.getBoolean("detach")) {
            watched.values().forEach(context::detached);
            LOG.info("detached: {} trial(s) in Slurm's queue; `ablate status {}` shows them, `ablate run` again attaches",
                    watched.size(), context.experimentDir().getFileName());
            return;
        }
        watch(watched);
    }

    /**
     * The trials of earlier (detached) submissions to attach to, trial id to task key: those whose
     * task is still queued or running, and those whose task left a staged attempt (the sweep's start
     * keeps only attempts of tasks that squeue showed live, so one left here ended since, and its end
     * is read and committed like any other). The latest submission's task wins for a trial. When
     * squeue cannot be asked, every trial of those submissions: one that may still be queued is never
     * submitted again (it would run twice), as the sweep's start never moves what may still run.
     */
    private Map<String, String> toAttach() {
        List<SubmittedJobs.Job> jobs = SubmittedJobs.read(dir);
        Map<String, String> out = new HashMap<>();
        if (jobs.isEmpty()) {
            return out;
        }
        Map<String, ArrayTask> queue;
        boolean unknown = false;
        try {
            queue = ArrayTask.query(jobs.stream().map(SubmittedJobs.Job::id).toList());
        } catch (SlurmException e) {
            LOG.warn("cannot ask squeue about the earlier submissions ({}); attaching to every trial of jobs {} instead of"
                    + " submitting it again (its task may still be queued)", e.getMessage(),
                    String.join(", ", jobs.stream().map(SubmittedJobs.Job::id).toList()));
            queue = Map.of();
            unknown = true;
        }
        for (SubmittedJobs.Job job : jobs) {
            for (int i = 0; i < job.trials().size(); i++) {
                String key = ArrayTask.key(job.id(), i);
                ArrayTask task = queue.get(key);
                String trial = job.trials().get(i);
                if (unknown || (task != null && task.active()) || lastAttempt(trial, key) != null) {
                    out.put(trial, key);
                }
            }
        }
        return out;
    }

    private Path writeScript(List<LaunchTrial> trials) throws IOException {
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT));
        Path script = dir.resolve("array-" + stamp + ".sbatch");
        LaunchTrial first = trials.get(0);
        TrialCommand command = context.command(first)
                .withJvmOptions(SlurmLauncher.jvmOptions(first.resources(), options.getString("jvm_options")))
                .withEnvironment(TrialProcess.environment(first.resources(), List.of()));
        // each task stages its attempt; this process commits it (attached), or the sweep that attaches to it
        // does (detached: SlurmLauncher.liveAttempts keeps a running task's attempt staged until then)
        BatchScript.write(script, jobName(context.experimentDir()), trials, command, options, context.trialTimeout());
        return script;
    }

    static String jobName(Path experimentDir) {
        return "ablate-" + experimentDir.getFileName();
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

    private void watch(Map<String, LaunchTrial> watched) throws InterruptedException {
        Map<String, LaunchTrial> open = new LinkedHashMap<>(watched);
        Set<String> jobs = new LinkedHashSet<>();
        open.keySet().forEach(k -> jobs.add(k.substring(0, k.indexOf('_'))));
        Map<String, TrialDeadline> deadlines = new HashMap<>();
        Map<String, String> cancelledBecause = new HashMap<>();
        long unreachableSince = 0;
        Duration patience = Duration.ofSeconds(options.getInt("squeue_patience_s"));
        while (!open.isEmpty()) {
            if (context.cancellation().isCancelled()) {
                cancelAll(jobs, open);
                return;
            }
            Map<String, ArrayTask> queue;
            try {
                queue = ArrayTask.query(jobs);
                unreachableSince = 0;
            } catch (SlurmException e) {
                long now = System.nanoTime();
                unreachableSince = unreachableSince == 0 ? now : unreachableSince;
                if (now - unreachableSince < patience.toNanos()) {
                    LOG.warn("squeue failed (retrying): {}", e.getMessage());
                    sleep();
                    continue;
                }
                // whether the tasks still run is unknown: they are left to Slurm, as a detached submission's
                LOG.error("squeue has failed for {} ({}): leaving {} trial(s) to Slurm, detached; `ablate run` again attaches"
                        + " once the controller answers", format(patience), e.getMessage(), open.size());
                open.values().forEach(context::detached);
                return;
            }
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                String key = entry.getKey();
                LaunchTrial trial = entry.getValue();
                ArrayTask task = queue.get(key);
                if (task != null && task.active()) {
                    if (!task.running()) {
                        deadlines.remove(key); // queued again (requeued): its time counts from its next start
                    } else if (deadlines.computeIfAbsent(key, k -> TrialDeadline.launchedNow(context, trial)).passed()
                            && !cancelledBecause.containsKey(key)) {
                        String after = format(context.trialTimeout().orElseThrow());
                        LOG.warn("trial {} timed out after {}; cancelling its Slurm task {}", trial.id(), after, key);
                        cancelledBecause.put(key, "timed out after " + after);
                        cancel(key);
                    }
                    continue;
                }
                it.remove();
                TrialEnd end = ended(task, cancelledBecause.get(key), dir.resolve(key + ".out"));
                String attempt = lastAttempt(trial, key);
                context.ended(trial, attempt == null ? end : end.ofAttempt(attempt));
            }
            if (!open.isEmpty()) {
                sleep();
            }
        }
    }

    /**
     * The token of the task's last attempt ({@code JOB_INDEX.RESTART}, as the batch script passes
     * {@code --attempt}): a requeued task's restarts each stage their own folder, the last one is
     * the one that ended. Null when the task staged nothing (it died before its JVM started).
     */
    private String lastAttempt(LaunchTrial trial, String key) {
        return lastAttempt(trial.id(), key);
    }

    private String lastAttempt(String trial, String key) {
        Path staging = context.experimentDir().resolve(STAGING).resolve(trial);
        String last = null;
        int highest = -1;
        try (var attempts = Files.list(staging)) {
            for (Path p : (Iterable<Path>) attempts::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(key + ".") && name.substring(key.length() + 1).matches("[0-9]+")) {
                    int restart = Integer.parseInt(name.substring(key.length() + 1));
                    if (restart > highest) {
                        highest = restart;
                        last = name;
                    }
                }
            }
        } catch (IOException none) {
            return null;
        }
        return last;
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

    /** Ctrl-C: cancels the watched tasks, waits (up to the cancel grace) for them to end, and reports them interrupted. */
    private void cancelAll(Set<String> jobs, Map<String, LaunchTrial> open) {
        cancel(String.join(" ", open.keySet()));
        long deadline = System.nanoTime() + context.cancelGrace().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<String, ArrayTask> queue = ArrayTask.query(jobs);
                if (queue.values().stream().noneMatch(t -> open.containsKey(t.key()) && t.active())) {
                    break;
                }
                Thread.sleep(200);
            } catch (SlurmException | InterruptedException e) {
                break;
            }
        }
        String reason = context.cancellation().reason();
        open.forEach((key, t) -> {
            String attempt = lastAttempt(t, key);
            TrialEnd end = TrialEnd.interrupted(reason);
            context.ended(t, attempt == null ? end : end.ofAttempt(attempt));
        });
    }

    /** @param tasks task keys separated by spaces (scancel takes several) */
    private static void cancel(String tasks) {
        List<String> argv = new ArrayList<>(List.of("scancel"));
        argv.addAll(List.of(tasks.split(" ")));
        try {
            SlurmCommands.check(argv);
        } catch (SlurmException e) {
            LOG.warn("scancel {} failed: {}", tasks, e.getMessage());
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
