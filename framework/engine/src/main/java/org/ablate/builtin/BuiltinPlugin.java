package org.ablate.builtin;

import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.Benchmark;

/** The framework's own components: a no-op task and the benchmark of the runner's overhead. */
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
        registerComponent(Benchmark.class, "framework",
                "Per-trial overhead of the runner and metric-logging throughput, on no-op trials.",
                FrameworkBenchmark.SCHEMA, FrameworkBenchmark.class);
    }
}
