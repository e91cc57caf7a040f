package org.ablate.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.Resources;
import org.ablate.spi.launch.TrialCommand;

/**
 * The batch script of one job array: {@code #SBATCH} lines for the launcher's options and the
 * trials' resources, the trial ids in array order, and the trial's command with its id taken from
 * {@code SLURM_ARRAY_TASK_ID}. Written into the experiment's folder, so a user can read it and
 * resubmit it with plain {@code sbatch}.
 */
final class BatchScript {

    /** Where a command's trial id goes; replaced by the array task's id in the script. */
    private static final String TRIAL = "--trial";

    private BatchScript() {
    }

    /**
     * The sbatch options for these launcher options and resources (also what {@code sbatch
     * --test-only} checks before a sweep).
     *
     * @param timeout the sweep's per-trial timeout: the time limit's default
     */
    static List<String> sbatchOptions(Parameters options, Resources resources, Optional<Duration> timeout) {
        List<String> out = new ArrayList<>();
        addIfSet(out, "--partition", options.getString("partition"));
        addIfSet(out, "--account", options.getString("account"));
        addIfSet(out, "--qos", options.getString("qos"));
        String limit = options.getString("time_limit");
        if (limit.isEmpty() && timeout.isPresent()) {
            limit = defaultTimeLimit(timeout.get());
        }
        addIfSet(out, "--time", limit);
        if (resources.cpus() > 0) {
            out.add("--cpus-per-task=" + resources.cpus());
        }
        if (resources.memoryBytes() > 0) {
            out.add("--mem=" + resources.memoryMebibytes() + "M");
        }
        if (resources.gpus() > 0) {
            out.add("--gres=gpu:" + resources.gpus());
        }
        out.addAll(options.getStringList("sbatch_args"));
        return out;
    }

    /**
     * The trial's timeout plus a minute for its JVM's start-up, in whole minutes (Slurm's unit). The
     * launcher stops a trial at its timeout itself; this limit is the backstop for a detached sweep.
     */
    static String defaultTimeLimit(Duration timeout) {
        long minutes = (timeout.toSeconds() + 59) / 60 + 1;
        return Long.toString(minutes);
    }

    /**
     * Writes the script atomically.
     *
     * @param command one trial's command (its {@code --trial} value is replaced; each task adds {@code
     *                --attempt} with its Slurm ids, so that it writes a staging folder for {@code ablate run} to commit)
     */
    static void write(Path file, String jobName, List<LaunchTrial> trials, TrialCommand command, Parameters options,
                      Optional<Duration> timeout) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Written by Ablate's slurm launcher: one array task per trial (").append(trials.size())
                .append(" trials). Resubmit with: sbatch ").append(file.getFileName()).append('\n');
        s.append("#SBATCH --job-name=").append(jobName).append('\n');
        String array = "0-" + (trials.size() - 1);
        int throttle = options.getInt("throttle");
        s.append("#SBATCH --array=").append(array).append(throttle > 0 ? "%" + throttle : "").append('\n');
        s.append("#SBATCH --output=").append(file.getParent().resolve("%A_%a.out")).append('\n');
        // a requeued task appends to its output instead of overwriting the first attempt's
        s.append("#SBATCH --open-mode=append\n");
        for (String o : sbatchOptions(options, trials.get(0).resources(), timeout)) {
            s.append("#SBATCH ").append(o).append('\n');
        }
        s.append("set -eu\n");
        s.append("trials=(");
        for (LaunchTrial t : trials) {
            s.append(t.id()).append(' ');
        }
        s.setLength(s.length() - 1);
        s.append(")\n");
        s.append("trial=\"${trials[$SLURM_ARRAY_TASK_ID]}\"\n");
        // one line per attempt in the task's output: which trial, where, which restart, which GPUs
        s.append("echo \"ablate: trial $trial, task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0},")
                .append(" node $(hostname), CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-}\"\n");
        Map<String, String> env = new LinkedHashMap<>(command.environment());
        for (Map.Entry<String, String> e : env.entrySet()) {
            s.append("export ").append(e.getKey()).append('=').append(quote(e.getValue())).append('\n');
        }
        s.append("exec");
        List<String> argv = command.argv();
        for (int i = 0; i < argv.size(); i++) {
            if (i > 0 && argv.get(i - 1).equals(TRIAL)) {
                s.append(" \"$trial\"");
            } else {
                s.append(' ').append(quote(argv.get(i)));
            }
        }
        s.append(" --attempt \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.${SLURM_RESTART_COUNT:-0}\"");
        s.append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, s.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void addIfSet(List<String> out, String option, String value) {
        if (!value.isEmpty()) {
            out.add(option + "=" + value);
        }
    }

    /** Single-quoted for bash; plain when it needs no quoting (easier to read). */
    static String quote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
