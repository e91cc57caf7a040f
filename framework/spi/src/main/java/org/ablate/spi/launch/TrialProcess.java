package org.ablate.spi.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A trial's {@link TrialCommand} running as a child process: started without tracking credentials,
 * its output drained (the last lines kept for a failure's record), and stopped by killing its whole
 * process tree. Shared by every launcher that runs {@code ablate run-trial} children (the process
 * launcher here, a cluster launcher on its executors), so they kill and describe children alike.
 */
public final class TrialProcess {

    /** Variables that carry tracking credentials or addresses: the child never tracks, so it never sees them. */
    private static final List<String> WITHHELD_PREFIXES = List.of("MLFLOW_", "WANDB_", "DATABRICKS_");
    /**
     * The child's variable naming the process that started it: a child whose launcher dies while it
     * starts is re-parented (to init) before it could watch its parent, so it watches this pid instead.
     */
    public static final String LAUNCHER_PID_VARIABLE = "ABLATE_LAUNCHER_PID";

    private final Process child;
    private final OutputTail output;

    private TrialProcess(Process child, OutputTail output) {
        this.child = child;
        this.output = output;
    }

    /**
     * Starts the command with its environment on top of this process's, less tracking variables.
     *
     * @param outputLines how many of the child's last output lines to keep
     * @param name names the thread that drains the output
     */
    public static TrialProcess start(TrialCommand command, int outputLines, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        withoutTrackingVariables(builder.environment());
        builder.environment().putAll(command.environment());
        builder.environment().put(LAUNCHER_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        Process child = builder.start();
        return new TrialProcess(child, new OutputTail(child.getInputStream(), outputLines, name));
    }

    /**
     * Removes tracking credentials and addresses from an environment a trial's process will inherit
     * (a scheduler's submission passes its own environment on to the job).
     */
    public static Map<String, String> withoutTrackingVariables(Map<String, String> environment) {
        environment.keySet().removeIf(k -> WITHHELD_PREFIXES.stream().anyMatch(k::startsWith));
        return environment;
    }

    /** True once the child has exited, waiting at most this long. */
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return child.waitFor(timeout, unit);
    }

    public int exitValue() {
        return child.exitValue();
    }

    public long pid() {
        return child.pid();
    }

    /** The last lines the child printed (waits briefly for its output to close). */
    public String output() {
        return output.text();
    }

    /** Kills the child and every process it started, so nothing of the trial outlives it. */
    public void killTree() {
        List<ProcessHandle> descendants = child.descendants().toList();
        child.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            child.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reason recorded for a child that exited with a non-zero code. */
    public static String exitReason(int code) {
        return "the trial's process exited with code " + code + describeSignal(code);
    }

    /** 137 is how a shell (and Java) shows a process killed by signal 9. */
    private static String describeSignal(int code) {
        return switch (code) {
            case 137 -> " (killed: SIGKILL, e.g. kill -9 or the out-of-memory killer)";
            case 143 -> " (terminated: SIGTERM)";
            case 130 -> " (interrupted: SIGINT)";
            case 134 -> " (aborted: SIGABRT, e.g. a native crash)";
            case 139 -> " (SIGSEGV: a native crash)";
            default -> code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "";
        };
    }

    /** A cpus request caps the JVM's view of the machine (thread pools size from it); memory sets the heap. */
    public static List<String> jvmOptions(Resources resources, String extra) {
        List<String> out = new ArrayList<>();
        if (resources.cpus() > 0) {
            out.add("-XX:ActiveProcessorCount=" + resources.cpus());
        }
        if (resources.memoryBytes() > 0) {
            out.add("-Xmx" + resources.memoryMebibytes() + "m");
        }
        for (String o : extra.strip().split("\\s+")) {
            if (!o.isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }

    /** Native thread pools (OpenMP, OpenBLAS, MKL, ND4J's own) size from these, not from the JVM. */
    public static Map<String, String> environment(Resources resources, List<String> devices) {
        Map<String, String> env = new LinkedHashMap<>();
        if (resources.cpus() > 0) {
            String n = Integer.toString(resources.cpus());
            for (String v : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "SD_MAX_THREADS",
                    "SD_MASTER_THREADS")) {
                env.put(v, n);
            }
        }
        if (devices != null && !devices.isEmpty()) {
            env.put("CUDA_VISIBLE_DEVICES", String.join(",", devices));
        }
        return env;
    }
}
