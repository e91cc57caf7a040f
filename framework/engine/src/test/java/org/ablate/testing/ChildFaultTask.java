package org.ablate.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * A task that misbehaves the way a trial's process can, for the process launcher's tests: it starts
 * a grandchild process and hangs ignoring cancellation, or prints to stderr and halts the JVM.
 */
public final class ChildFaultTask implements Task {

    static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.choice("fault", "spawn-and-hang", "print-and-halt", "report-resources").defaultValue("spawn-and-hang")
                    .doc("spawn-and-hang: start `sleep 300`, record its pid and the trial's process's in artifacts/, hang;"
                            + " print-and-halt: print a line to stderr, then Runtime.halt(3);"
                            + " report-resources: record the JVM's processors, heap and thread variables, finish."));

    @Override
    public Map<String, Double> run(TrialContext ctx) throws Exception {
        switch (ctx.params().getString("fault")) {
            case "print-and-halt" -> {
                System.err.println("child-fault: about to halt");
                System.err.flush();
                Runtime.getRuntime().halt(3);
                return Map.of();
            }
            case "report-resources" -> {
                String env = System.getenv().getOrDefault("OMP_NUM_THREADS", "") + "|"
                        + System.getenv().getOrDefault("CUDA_VISIBLE_DEVICES", "") + "|"
                        + System.getenv().getOrDefault("MLFLOW_TRACKING_PASSWORD", "");
                ctx.metrics().artifact("env.txt", out -> out.write(env.getBytes(StandardCharsets.UTF_8)));
                return Map.of("processors", (double) Runtime.getRuntime().availableProcessors(),
                        "max_heap_mib", (double) (Runtime.getRuntime().maxMemory() >> 20));
            }
            default -> {
                Process sleeper = new ProcessBuilder("sleep", "300").start();
                ctx.metrics().artifact("child.pid", out -> out.write(
                        Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
                ctx.metrics().artifact("grandchild.pid",
                        out -> out.write(Long.toString(sleeper.pid()).getBytes(StandardCharsets.UTF_8)));
                while (true) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ignored) {
                        // deliberately ignores cancellation: only a kill ends it
                    }
                }
            }
        }
    }

    /** Reads a pid the task recorded. */
    public static long pid(java.nio.file.Path file) throws java.io.IOException {
        return Long.parseLong(Files.readString(file).strip());
    }
}
