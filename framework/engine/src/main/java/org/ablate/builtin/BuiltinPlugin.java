package org.ablate.builtin;

import org.ablate.spi.AbstractPlugin;
import org.ablate.experiment.GridSweeper;
import org.ablate.experiment.WandbSweep;
import org.ablate.launch.InProcessLauncher;
import org.ablate.launch.ProcessLauncher;
import org.ablate.spi.Benchmark;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.launch.Launcher;
import org.ablate.spi.sweep.Sweeper;

/**
 * The framework's own components: the two sweep dialects, the two launchers, a no-op task, the
 * command task (programs in any language) and the benchmark of the runner's overhead.
 */
public final class BuiltinPlugin extends AbstractPlugin {

    /** "core": the name `ablate plugins` and recorded provenance have always shown. */
    @Override
    public String name() {
        return "core";
    }

    @Override
    protected void configure() {
        registerTask("noop", "Does no work; logs `points` metric points. Measures the framework's own cost per trial.",
                NoopTask.SCHEMA, NoopTask.METRICS, NoopTask.class);
        registerTask(org.ablate.experiment.CommandSpec.TASK, "Runs the experiment file's program (command: [python3, train.py,"
                        + " \"{lr}\"], any language) once per trial; its parameters are the file's schema:. The program reads"
                        + " task.json and reports through the trial protocol (ablate_client for Python).",
                ParameterSchema.empty(), CommandTask.class);
        registerComponent(Launcher.class, InProcessLauncher.NAME,
                "Runs each trial on a thread of this JVM (the default).", InProcessLauncher.SCHEMA, InProcessLauncher.class);
        registerComponent(Launcher.class, ProcessLauncher.NAME,
                "Runs each trial in a child JVM (`ablate run-trial`), with its own threads and heap from `resources:`;"
                        + " a timeout or Ctrl-C kills the child's whole process tree.",
                ProcessLauncher.SCHEMA, ProcessLauncher.class);
        registerComponent(Benchmark.class, "framework",
                "Per-trial overhead of the runner and metric-logging throughput, on no-op trials.",
                FrameworkBenchmark.SCHEMA, FrameworkBenchmark.class);
        registerComponent(Sweeper.class, "grid", "sweep: {grid: {...}, zip: {...}}: axes crossed, lists zipped (the default).",
                ParameterSchema.empty(), GridSweeper.class);
        registerComponent(Sweeper.class, "wandb", "sweep: {method: grid|random, parameters: {...}}: a W&B sweep configuration.",
                ParameterSchema.empty(), WandbSweep.class);
    }
}
