package org.ablate.spark;

import java.nio.file.Path;
import java.util.Map;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * Registers (for these tests only) a task that loses its first attempt the way a machine loses a
 * process: after logging some points, the trial's JVM SIGKILLs itself when it runs as the first
 * attempt of its Spark task ({@code .staging/<id>/<stage>.<partition>.0/}).
 */
public final class LostAttemptPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "spark-tests";
    }

    @Override
    protected void configure() {
        registerTask("lost-first-attempt", "Its first Spark task attempt is SIGKILLed mid-trial (tests).",
                LostFirstAttempt.SCHEMA, LostFirstAttempt.METRICS, LostFirstAttempt.class);
    }

    public static final class LostFirstAttempt implements Task {
        static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.bool("lose").defaultValue(false).doc("SIGKILL the first attempt's JVM mid-trial."),
                Param.bool("fail").defaultValue(false).doc("Throw mid-trial, in every attempt (the trial's own failure)."),
                Param.integer("steps").defaultValue(20).range(1, 10_000).doc("Metric points logged."),
                Param.integer("sleep_ms").defaultValue(100).range(0, 10_000).doc("Sleep per step."),
                Param.string("lost_dir").defaultValue("")
                        .doc("When set, a lost attempt first leaves a file <trial id>.<attempt> there (proof it ran)."));
        static final MetricSchema METRICS = MetricSchema.summary("value").steps("train/value");

        @Override
        public Map<String, Double> run(TrialContext ctx) throws Exception {
            int steps = ctx.params().getInt("steps");
            double noise = ctx.random("noise").nextDouble();
            Path attempt = ctx.scratchDir().toAbsolutePath().getParent();
            boolean first = attempt.getParent().getParent().getFileName().toString().equals(".staging")
                    && attempt.getFileName().toString().endsWith(".0");
            for (int step = 0; step < steps; step++) {
                if (first && ctx.params().getBoolean("lose") && step == steps / 2) {
                    if (!ctx.params().getString("lost_dir").isEmpty()) {
                        java.nio.file.Files.createFile(Path.of(ctx.params().getString("lost_dir"))
                                .resolve(ctx.trialId() + "." + attempt.getFileName()));
                    }
                    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                    Thread.sleep(60_000); // the signal lands first
                }
                if (ctx.params().getBoolean("fail") && step == steps / 2) {
                    throw new IllegalStateException("failed by itself at step " + step);
                }
                Thread.sleep(ctx.params().getLong("sleep_ms"));
                ctx.metrics().log(step, "train/value", step + noise);
            }
            return Map.of("value", steps + noise);
        }
    }
}
