package org.ablate.builtin;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ablate.experiment.SweepExpander;
import org.ablate.launch.ProcessLauncher;
import org.ablate.plugin.PluginRuntime;
import org.ablate.run.RunOptions;
import org.ablate.run.SweepResult;
import org.ablate.run.TrialOutcome;
import org.ablate.service.ExperimentService;
import org.ablate.service.RunRequest;
import org.ablate.spi.Benchmark;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;

/**
 * Measures what the framework itself costs: plugin wiring, sweep expansion with validation, the
 * per-trial overhead of a no-op trial (folder, config, status, metrics and summary files, fsyncs),
 * and metric-logging throughput, and the per-trial cost of the process launcher (a child JVM per
 * trial). Runs into a temporary folder, which it deletes.
 */
public final class FrameworkBenchmark implements Benchmark {

    static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integer("trials").defaultValue(500).range(10, 1_000_000).doc("No-op trials to time."),
            Param.integer("parallel").defaultValue(1).range(1, 256).doc("Trials at once."),
            Param.integer("points").defaultValue(1_000_000).range(1000, 100_000_000)
                    .doc("Metric points logged by one trial, for the throughput figure."),
            Param.integer("process_trials").defaultValue(10).range(0, 10_000)
                    .doc("No-op trials run again with the process launcher (a child JVM each); 0 skips it."),
            Param.string("launcher").defaultValue("")
                    .doc("Another launcher (e.g. spark) to time on launcher_trials no-op trials, after the process launcher."),
            Param.string("launcher_options").defaultValue("")
                    .doc("That launcher's options, KEY=VALUE separated by spaces (e.g. master=local[2])."),
            Param.integer("launcher_trials").defaultValue(20).range(2, 100_000)
                    .doc("No-op trials for the other launcher (its start-up is timed on one trial first)."),
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
            Path results = dir.resolve("results");
            // the service prints what a user of `ablate run` reads; the bench prints its figures only
            PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
            // the no-op sweeps are timed without a mirror, whatever MLFLOW_TRACKING_URI says; tracking_uri adds one
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("MLFLOW_TRACKING_URI");
            ExperimentService service = new ExperimentService(engine, env, quiet, quiet);
            RunOptions options = RunOptions.defaults().withParallel(params.getInt("parallel"))
                    .withDisplay(RunOptions.Display.LOG_LINES);
            Files.writeString(file, "name: bench\ntask: noop\nrepeats: " + trials + "\n");
            t0 = System.nanoTime();
            ExperimentService.PlannedRun plan = service.plan(request(file, List.of(), null, options, results));
            double expandMs = (System.nanoTime() - t0) / 1e6;

            t0 = System.nanoTime();
            SweepResult result = service.run(plan).sweep();
            double wallMs = (System.nanoTime() - t0) / 1e6;
            double[] trialMs = result.outcomes().stream().mapToDouble(o -> o.duration().toNanos() / 1e6).sorted().toArray();

            t0 = System.nanoTime();
            SweepResult resumed = service.run(plan).sweep();
            double resumeMs = (System.nanoTime() - t0) / 1e6;

            long points = params.getLong("points");
            Files.writeString(file, "name: bench-points\ntask: noop\n");
            SweepResult logged = service.run(service.plan(request(file, List.of("points=" + points), null, options, results)))
                    .sweep();
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
            int processTrials = params.getInt("process_trials");
            if (processTrials > 0) {
                Path processFile = dir.resolve("bench-process.yaml");
                Files.writeString(processFile, "name: bench-process\ntask: noop\nrepeats: " + processTrials + "\n");
                ExperimentService.PlannedRun processPlan = service.plan(
                        request(processFile, List.of(), null, options, results, ProcessLauncher.NAME));
                t0 = System.nanoTime();
                SweepResult processed = service.run(processPlan).sweep();
                double processWallMs = (System.nanoTime() - t0) / 1e6;
                double[] childTrialMs = processed.outcomes().stream().mapToDouble(o -> o.duration().toNanos() / 1e6)
                        .sorted().toArray();
                double perTrial = processWallMs / processTrials;
                out.printf(Locale.ROOT, "  process launcher (%d trials)  %8.1f ms  (%.0f ms per trial, all costs; %.0f ms above"
                        + " in-process; trial time in the child p50 %.1f ms)%n", processTrials, processWallMs, perTrial,
                        perTrial - wallMs / trials, pct(childTrialMs, 0.50));
            }
            String other = params.getString("launcher");
            if (!other.isBlank()) {
                timeLauncher(service, dir, options, results, other, params, wallMs / trials, out);
            }
            String uri = params.getString("tracking_uri");
            if (!uri.isBlank()) {
                // named so that the MLflow experiment is "ablate-bench", as before the run went through the service
                Files.writeString(file, "name: ablate-bench\ntask: noop\n");
                ExperimentService.PlannedRun tracked = service.plan(request(file, List.of("points=" + points), uri, options, results));
                t0 = System.nanoTime();
                SweepResult trackedResult = service.run(tracked).sweep();
                double trackedWallS = (System.nanoTime() - t0) / 1e9;
                double trialS = trackedResult.outcomes().get(0).duration().toNanos() / 1e9;
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

    /**
     * A launcher's fixed start-up (a one-trial sweep) and the wall time each further no-op trial adds
     * (an N-trial sweep less that start-up, over N-1), beside the in-process figure. An untimed
     * one-trial sweep goes first: the first sweep through a launcher also pays once-per-process costs
     * (its classes, a child's class archive), which made the one-trial figure larger than the N-trial
     * one and the per-trial figure negative.
     */
    private static void timeLauncher(ExperimentService service, Path dir, RunOptions options, Path results, String launcher,
                                     Parameters params, double inProcessMs, PrintWriter out) throws Exception {
        List<String> overrides = new java.util.ArrayList<>();
        for (String o : params.getString("launcher_options").strip().split("\\s+")) {
            if (!o.isEmpty()) {
                overrides.add(org.ablate.run.LaunchChoice.OPTION_PREFIX + o);
            }
        }
        int n = params.getInt("launcher_trials");
        double[] wall = new double[3];
        SweepResult many = null;
        int i = 0;
        String[] names = {"warm-up", "1", String.valueOf(n)};
        for (int trials : new int[] {1, 1, n}) {
            String name = "bench-" + launcher + "-" + names[i];
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, "name: " + name + "\ntask: noop\nrepeats: " + trials + "\n");
            ExperimentService.PlannedRun plan = service.plan(request(file, overrides, null, options, results, launcher));
            long t0 = System.nanoTime();
            many = service.run(plan).sweep();
            wall[i++] = (System.nanoTime() - t0) / 1e6;
        }
        wall = new double[] {wall[1], wall[2]};
        double perTrial = (wall[1] - wall[0]) / (n - 1);
        double[] childMs = many.outcomes().stream().mapToDouble(o -> o.duration().toNanos() / 1e6).sorted().toArray();
        String name = launcher + " " + String.join(" ", params.getString("launcher_options").strip().split("\\s+"));
        out.printf(Locale.ROOT, "  %s: 1 trial %.0f ms (start-up about %.0f ms); %d trials %.0f ms (%.0f ms per further trial at"
                        + " parallel %d, %.0f ms above in-process; trial time in the child p50 %.1f ms)%n",
                name.strip(), wall[0], wall[0] - perTrial, n, wall[1], perTrial, options.parallel(), perTrial - inProcessMs,
                pct(childMs, 0.50));
    }

    /** A run of {@code file} as `ablate run` would make it, without the report (not what is timed). */
    private static RunRequest request(Path file, List<String> overrides, String trackingUri, RunOptions options, Path results) {
        return request(file, overrides, trackingUri, options, results, null);
    }

    private static RunRequest request(Path file, List<String> overrides, String trackingUri, RunOptions options, Path results,
                                      String launcher) {
        // the CLI's entry point by name: the built-in plugin does not depend on the command layer
        return new RunRequest(file.toString(), overrides, SweepExpander.DEFAULT_MAX_TRIALS, null, trackingUri, options, true,
                results, "ablate bench framework", launcher, "org.ablate.cli.AblateCli");
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

}
