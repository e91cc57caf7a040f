package org.ablate.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One array task as {@code squeue} shows it: its index, Slurm's state and Slurm's reason. Ended
 * tasks stay listed for the controller's MinJobAge (five minutes by default).
 */
record ArrayTask(String job, int index, String state, String reason, String timeLimit) {

    /** Still queued, running or being requeued: the trial has not ended. */
    private static final Set<String> ACTIVE = Set.of("PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED",
            "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD",
            "SPECIAL_EXIT");

    /** What squeue is asked to print per task: {@code array job|index|state|reason|time limit}. */
    static final String FORMAT = "%F|%K|%T|%r|%l";

    boolean active() {
        return ACTIVE.contains(state);
    }

    boolean running() {
        return state.equals("RUNNING");
    }

    boolean completed() {
        return state.equals("COMPLETED");
    }

    /** Slurm's word for an ended task that did not complete, for the trial's status. */
    String describe() {
        String why = switch (state) {
            case "TIMEOUT" -> "time limit exceeded (TIMEOUT, limit " + timeLimit + ")";
            case "CANCELLED" -> "the task was cancelled (CANCELLED, e.g. scancel)";
            case "OUT_OF_MEMORY" -> "out of memory (OUT_OF_MEMORY)";
            case "NODE_FAIL" -> "node failure (NODE_FAIL)";
            case "PREEMPTED" -> "preempted (PREEMPTED)";
            case "BOOT_FAIL" -> "the node failed to boot (BOOT_FAIL)";
            case "DEADLINE" -> "deadline reached (DEADLINE)";
            default -> "the task ended " + state;
        };
        return "Slurm: " + why + (reason.isEmpty() || reason.equals("None") ? "" : " [" + reason + "]");
    }

    /** The key of a task among several arrays' tasks: {@code JOB_INDEX}, as Slurm names it. */
    String key() {
        return key(job, index);
    }

    static String key(String job, int index) {
        return job + "_" + index;
    }

    /** The attempt token a task's run passes to {@code run-trial --attempt}: {@code JOB_INDEX.RESTART}. */
    private static final java.util.regex.Pattern ATTEMPT = java.util.regex.Pattern.compile("([0-9]+_[0-9]+)\\.[0-9]+");

    /** The key of the task that an attempt token names; empty for a token of another shape. */
    static java.util.Optional<String> ofAttempt(String attempt) {
        java.util.regex.Matcher m = ATTEMPT.matcher(attempt);
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** squeue's lines ({@link #FORMAT}) by {@link #key()}; lines of another shape are skipped. */
    static Map<String, ArrayTask> parse(String squeue) {
        Map<String, ArrayTask> out = new LinkedHashMap<>();
        for (String line : squeue.split("\n")) {
            String[] f = line.strip().split("\\|", -1);
            if (f.length < 5 || !f[0].matches("[0-9]+") || !f[1].matches("[0-9]+")) {
                continue;
            }
            ArrayTask t = new ArrayTask(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4]);
            out.put(t.key(), t);
        }
        return out;
    }

    /** Asks squeue about these arrays' tasks, ended ones included (while the controller keeps them). */
    static Map<String, ArrayTask> query(java.util.Collection<String> jobs) throws SlurmException {
        SlurmCommands.Output o = SlurmCommands.run(java.util.List.of("squeue", "-h", "-r", "-t", "all", "-j",
                String.join(",", jobs), "-o", FORMAT));
        if (o.code() != 0 && o.err().contains("Invalid job id")) {
            return Map.of(); // the controller has forgotten them all (ended longer ago than its MinJobAge)
        }
        if (o.code() != 0) {
            throw new SlurmException(SlurmCommands.message(o));
        }
        return parse(o.out());
    }
}
