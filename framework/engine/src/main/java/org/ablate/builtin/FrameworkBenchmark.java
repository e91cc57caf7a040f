package org.ablate.builtin;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.ExperimentSpec;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.SweepPlan;
import org.ablate.plugin.PluginRuntime;
import org.ablate.run.RunOptions;
import org.ablate.run.SweepResult;
import org.ablate.run.SweepRunner;
import org.ablate.run.TrialOutcome;
import org.ablate.spi.Benchmark;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.store.ResultsStore;

/**
 * Measures what the framework itself costs: plugin wiring, sweep expansion with validation, the
 * per-trial overhead of a no-op trial (folder, config, status, metrics and summary files, fsyncs),
 * and metric-logging throughput. Runs into a temporary folder, which it deletes.
 */
public final class FrameworkBenchmark implements Benchmark {

    static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("trials").defaultValue(500).range(10, 1_000_000).doc("No-op trials to time."),
            Param.integer("parallel").defaultValue(1).range(1, 256).doc("Trials at once."),
            Param.integer("points").defaultValue(1_000_000).range(1000, 100_000_000)
                    .doc("Metric points logged by one trial, for the throughput figure."),
            Param.string("tracking_uri").defaultValue("")
                    .doc("An MLflow server: log the same points again with the sweep mirrored there."));

    @Override
    public void run(Parameters params, PrintWriter out) throws Exception {
        int trials = params.getInt("trials");
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getUptime();

        long t0 = System.nanoTime();
        PluginRuntime engine = PluginRuntime.start();
        double engineMs = (System.nanoTime() - t0) / 1e6;

        Path dir = Files.createTempDirectory("ablate-bench");
        try {
            Path file = dir.resolve("bench.yaml");
            Files.writeString(file, "name: bench\ntask: noop\nrepeats: " + trials + "\n");
            t0 = System.nanoTime();
            ExperimentSpec spec = ExperimentParser.parse(file);
            SweepPlan plan = new SweepExpander(engine.registry()).expand(spec);
            double expandMs = (System.nanoTime() - t0) / 1e6;

            RunOptions options = RunOptions.defaults().withParallel(params.getInt("parallel"))
                    .withDisplay(RunOptions.Display.LOG_LINES);
            SweepRunner runner = new SweepRunner(new ResultsStore(dir.resolve("results")), engine);
            t0 = System.nanoTime();
            SweepResult result = runner.run(plan, options, "ablate bench framework");
            double wallMs = (System.nanoTime() - t0) / 1e6;
            double[] trialMs = result.outcomes().stream().mapToDouble(o -> o.duration().toNanos() / 1e6).sorted().toArray();

            t0 = System.nanoTime();
            SweepResult resumed = runner.run(plan, options, "ablate bench framework");
            double resumeMs = (System.nanoTime() - t0) / 1e6;

            long points = params.getLong("points");
            Files.writeString(file, "name: bench-points\ntask: noop\n");
            SweepPlan pointsPlan = new SweepExpander(engine.registry())
                    .expand(CommandLineOverrides.apply(ExperimentParser.parse(file), List.of("points=" + points)));
            SweepResult logged = runner.run(pointsPlan, options, "ablate bench framework");
            TrialOutcome big = logged.outcomes().get(0);
            double pointsPerS = points / (big.duration().toNanos() / 1e9);

            out.printf(Locale.ROOT, "ablate bench framework: %d no-op trials, parallel %d, %d cpus, Java %s%n",
                    trials, params.getInt("parallel"), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            out.printf(Locale.ROOT, "  JVM start to bench start     %8.0f ms%n", (double) jvmStartMs);
            out.printf(Locale.ROOT, "  plugin discovery + Guice     %8.1f ms%n", engineMs);
            out.printf(Locale.ROOT, "  parse + expand + validate    %8.1f ms  (%.1f µs per trial)%n", expandMs,
                    expandMs * 1000 / trials);
            out.printf(Locale.ROOT, "  sweep wall time              %8.1f ms  (%.2f ms per trial, all costs)%n", wallMs,
                    wallMs / trials);
            out.printf(Locale.ROOT, "  trial time in the runner     p50 %.2f ms  p95 %.2f ms  max %.2f ms%n",
                    pct(trialMs, 0.50), pct(trialMs, 0.95), trialMs[trialMs.length - 1]);
            out.printf(Locale.ROOT, "  resume check (all finished)  %8.1f ms  (%d skipped)%n", resumeMs, resumed.skipped());
            out.printf(Locale.ROOT, "  metric logging               %,.0f points/s to metrics.jsonl (%,d points)%n",
                    pointsPerS, points);
            String uri = params.getString("tracking_uri");
            if (!uri.isBlank()) {
                var settings = org.ablate.tracking.mlflow.MlflowSettings.resolve(uri,
                        org.ablate.experiment.TrackingSettings.NONE, "ablate-bench", System.getenv()).orElseThrow();
                Files.writeString(file, "name: bench-points-mlflow\ntask: noop\n");
                SweepPlan trackedPlan = new SweepExpander(engine.registry())
                        .expand(CommandLineOverrides.apply(ExperimentParser.parse(file), List.of("points=" + points)));
                t0 = System.nanoTime();
                SweepResult tracked = runner.run(trackedPlan,
                        options.withTracking(org.ablate.tracking.mlflow.MlflowTracker.factory(settings)), "ablate bench framework");
                double trackedWallS = (System.nanoTime() - t0) / 1e9;
                double trialS = tracked.outcomes().get(0).duration().toNanos() / 1e9;
                out.printf(Locale.ROOT, "  metric logging, MLflow on    %,.0f points/s in the trial (%.0f%% of the rate without);"
                        + " the mirror caught up %.1f s after the trial ended (%,.0f points/s to the server)%n",
                        points / trialS, 100 * (points / trialS) / pointsPerS, Math.max(0, trackedWallS - trialS),
                        points / trackedWallS);
            }
            out.flush();
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

}
