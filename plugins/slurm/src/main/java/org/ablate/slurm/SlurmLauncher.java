package org.ablate.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.launch.LiveAttempts;
import org.ablate.spi.launch.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code slurm} launcher: a sweep's pending trials become one Slurm job array whose task N
 * runs {@code ablate run-trial} for the N-th trial, on this JVM's java and classpath (a cluster's
 * shared filesystem holds both, and the results folder). This process waits for the array (see
 * {@link ArraySweep}).
 */
public final class SlurmLauncher implements Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmLauncher.class);

    public static final String NAME = "slurm";
    /** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or no limit. */
    private static final Pattern TIME = Pattern.compile(
            "[0-9]+(:[0-9]{1,2}){0,2}|[0-9]+-[0-9]{1,2}(:[0-9]{1,2}){0,2}|INFINITE|UNLIMITED");
    private static final Pattern NAME_VALUE = Pattern.compile("[A-Za-z0-9_.,:+-]*");
    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.string("partition").defaultValue("").doc("sbatch --partition (empty: the cluster's default partition)."),
            Param.string("account").defaultValue("").doc("sbatch --account (empty: your default account)."),
            Param.string("qos").defaultValue("").doc("sbatch --qos (empty: the default QOS)."),
            Param.string("time_limit").defaultValue("")
                    .doc("sbatch --time per array task, in Slurm's formats (MM, HH:MM:SS, D-HH:MM). Empty: the trial timeout"
                            + " plus a minute, rounded up to minutes; without a timeout, the partition's limit."),
            Param.integer("throttle").defaultValue(0).range(0, 1_000_000)
                    .doc("At most this many of the array's tasks at once (--array=0-N%THROTTLE); 0: as many as Slurm runs."),
            Param.stringList("sbatch_args").defaultValue(List.of())
                    .doc("Further sbatch options, one per item, written as #SBATCH lines (e.g. [--constraint=a100, --nice=10])."),
            Param.bool("detach").defaultValue(false)
                    .doc("Submit and exit (also --detach): `ablate status` shows the queue, `ablate run` again attaches to"
                            + " the tasks still queued or running and submits what is missing."),
            Param.string("jvm_options").defaultValue("")
                    .doc("Extra JVM options for each trial's process, separated by spaces."),
            Param.integer("output_lines").defaultValue(40).range(1, 10_000)
                    .doc("Last lines of a task's output kept in the status of a trial that Slurm ended."),
            Param.integer("squeue_patience_s").defaultValue(300).range(1, 86_400)
                    .doc("Seconds squeue may fail in a row while a sweep watches its arrays (the controller gone); then the"
                            + " open trials are left to Slurm as detached ones, and `ablate run` again attaches."));

    @Override
    public void check(Resources resources, Parameters options) {
        for (String key : List.of("partition", "account", "qos")) {
            String v = options.getString(key);
            if (!NAME_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("launcher." + key + ": '" + v + "' is not a Slurm name (accepted:"
                        + " letters, digits and _ . , : + -)");
            }
        }
        String limit = options.getString("time_limit");
        if (!limit.isEmpty() && !TIME.matcher(limit).matches()) {
            throw new IllegalArgumentException("launcher.time_limit: '" + limit + "' is not a Slurm time (accepted: MM,"
                    + " MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, INFINITE)");
        }
        for (String a : options.getStringList("sbatch_args")) {
            if (!a.startsWith("-")) {
                throw new IllegalArgumentException("launcher.sbatch_args: '" + a + "' is not an sbatch option (accepted:"
                        + " options such as --constraint=a100, one per item)");
            }
        }
        if (!SlurmCommands.onPath("sbatch")) {
            throw new IllegalArgumentException(SlurmCommands.missing("sbatch"));
        }
        // Slurm itself judges the rest (partition, account, QOS, gres, extra options) without submitting anything
        List<String> test = new ArrayList<>(List.of("sbatch", "--test-only", "--job-name=ablate-check"));
        test.addAll(BatchScript.sbatchOptions(options, resources, Optional.empty()));
        test.add("--wrap=true");
        try {
            SlurmCommands.Output o = SlurmCommands.run(test);
            if (o.code() != 0) {
                throw new IllegalArgumentException("sbatch refused the launcher's options or resources: "
                        + SlurmCommands.message(o));
            }
        } catch (SlurmException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    @Override
    public void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        if (!trials.isEmpty()) {
            new ArraySweep(context).run(trials);
        }
    }

    /** One line per submitted array with tasks still in the queue: its id, script and how many tasks are in which state. */
    @Override
    public List<String> queue(java.nio.file.Path experimentDir) {
        java.nio.file.Path dir = experimentDir.resolve(ArraySweep.FOLDER);
        List<SubmittedJobs.Job> jobs = SubmittedJobs.read(dir);
        if (jobs.isEmpty()) {
            return List.of();
        }
        java.util.Map<String, ArrayTask> tasks;
        try {
            tasks = ArrayTask.query(jobs.stream().map(SubmittedJobs.Job::id).toList());
        } catch (SlurmException e) {
            return List.of("slurm: cannot read the queue: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        for (SubmittedJobs.Job job : jobs) {
            java.util.Map<String, Integer> byState = new java.util.TreeMap<>();
            for (int i = 0; i < job.trials().size(); i++) {
                ArrayTask t = tasks.get(ArrayTask.key(job.id(), i));
                if (t != null && t.active()) {
                    byState.merge(t.state(), 1, Integer::sum);
                }
            }
            if (!byState.isEmpty()) {
                List<String> parts = new ArrayList<>();
                byState.forEach((state, n) -> parts.add(n + " " + state));
                out.add("slurm job " + job.id() + " (" + job.script() + "): " + String.join(", ", parts)
                        + " of " + job.trials().size() + " task(s); `ablate run` attaches");
            }
        }
        return out;
    }

    /**
     * The attempts ({@code JOB_TASK.RESTART}) of the recorded arrays' tasks that squeue shows queued
     * or running: a detached submission's, which the next sweep attaches to. When squeue cannot be
     * asked, every attempt of a recorded array counts as live: what may still run is never moved.
     */
    @Override
    public LiveAttempts liveAttempts(java.nio.file.Path experimentDir) {
        List<SubmittedJobs.Job> jobs = SubmittedJobs.read(experimentDir.resolve(ArraySweep.FOLDER));
        if (jobs.isEmpty()) {
            return LiveAttempts.NONE;
        }
        java.util.Set<String> recorded = new java.util.HashSet<>(jobs.stream().map(SubmittedJobs.Job::id).toList());
        java.util.Set<String> active = new java.util.HashSet<>();
        try {
            ArrayTask.query(recorded).values().stream().filter(ArrayTask::active).forEach(t -> active.add(t.key()));
        } catch (SlurmException e) {
            LOG.warn("cannot ask squeue which Slurm tasks still run ({}): every staged attempt of jobs {} is left staged",
                    e.getMessage(), String.join(", ", recorded));
            return LiveAttempts.unconfirmed(attempt -> ArrayTask.ofAttempt(attempt)
                    .map(k -> recorded.contains(k.substring(0, k.indexOf('_')))).orElse(false));
        }
        // none active: no task of this experiment can be writing (or about to create) a staged attempt
        return active.isEmpty() ? LiveAttempts.NONE : attempt -> ArrayTask.ofAttempt(attempt).map(active::contains).orElse(false);
    }

    /**
     * A cpus request caps the JVM's view of the node; the heap gets three quarters of a memory
     * request, since Slurm counts the whole process (metaspace, native buffers) against --mem.
     */
    static List<String> jvmOptions(Resources resources, String extra) {
        List<String> out = new ArrayList<>();
        if (resources.cpus() > 0) {
            out.add("-XX:ActiveProcessorCount=" + resources.cpus());
        }
        if (resources.memoryBytes() > 0) {
            out.add("-Xmx" + Math.max(64, resources.memoryMebibytes() * 3 / 4) + "m");
        }
        for (String o : extra.strip().split("\\s+")) {
            if (!o.isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }
}
