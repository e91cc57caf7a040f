package org.ablate.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * The plugin the framework's tests run against (registered by the test classpath's service file):
 * a task whose behaviour (compute, fail, sleep, ignore cancellation) is chosen by its parameters,
 * a component kind with two implementations, and a sweep dialect of its own.
 */
public final class TestPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "testing";
    }

    @Override
    protected void configure() {
        registerTask("probe", "A controllable task for framework tests.", ProbeTask.SCHEMA, ProbeTask.METRICS, ProbeTask.class);
        registerTask("spin", "A CPU-bound task for framework tests: busy, never sleeping, honouring cancellation.",
                SpinTask.SCHEMA, SpinTask.class);
        registerTask("needs-label", "A task with a required parameter.", ParameterSchema.of(
                Param.string("label").doc("Any text.")), LabelTask.class);
        registerTask("formula", "A task with a formula parameter that logs non-finite points.", FormulaTask.SCHEMA,
                FormulaTask.METRICS, FormulaTask.class);
        registerTask("child-fault", "Misbehaves as a trial's process can (process launcher tests).", ChildFaultTask.SCHEMA,
                ChildFaultTask.class);
        registerTask("program", "Runs a Python script under the trial protocol.", ProgramTask.SCHEMA, ProgramTask.class);
        registerComponent(Gadget.class, "plain", "Scale 1.", ParameterSchema.empty(), PlainGadget.class);
        registerComponent(Gadget.class, "scaled", "Scale by a factor.", ParameterSchema.of(
                Param.real("factor").defaultValue(2.0).range(0.5, 10).doc("The scale.")), ScaledGadget.class);
        registerComponent(org.ablate.spi.sweep.Sweeper.class, "listed", "sweep: {configurations: [...]}: configurations one by one.",
                ParameterSchema.empty(), ListedSweeper.class);
    }

    /** Computes a deterministic function of its parameters and seed; see the schema for modes. */
    public static final class ProbeTask implements Task {
        static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.real("x").defaultValue(1.0).range(0, 100).doc("An input."),
                Param.integer("n").defaultValue(10).range(1, 1000).doc("A count."),
                Param.choice("mode", "ok", "fail", "slow", "hang").defaultValue("ok")
                        .doc("ok: compute; fail: throw; slow: sleep per step, honouring cancellation; hang: ignore it."),
                Param.integer("steps").defaultValue(3).range(1, 100_000).doc("Metric points logged."),
                Param.integer("sleep_ms").defaultValue(0).range(0, 60_000).doc("Sleep per step."),
                Param.bool("flag").defaultValue(false).doc("A boolean."),
                Param.integerList("levels").defaultValue(java.util.List.of(8L, 5L)).range(2, 16).doc("A list."),
                Param.component("gadget", Gadget.class).defaultValue("plain").doc("A component."));
        static final MetricSchema METRICS = MetricSchema.summary("result", "noise").steps("train/value");

        @Override
        public Map<String, Double> run(TrialContext ctx) throws Exception {
            Parameters p = ctx.params();
            String mode = p.getString("mode");
            double scale = ctx.component("gadget", Gadget.class).scale();
            int steps = p.getInt("steps");
            long sleep = p.getLong("sleep_ms");
            ctx.progress().total(steps);
            double noise = ctx.random("noise").nextDouble();
            for (int step = 0; step < steps; step++) {
                if (mode.equals("fail") && step == steps - 1) {
                    throw new IllegalStateException("probe failed as asked at step " + step);
                }
                if (mode.equals("hang")) {
                    long until = System.currentTimeMillis() + sleep;
                    while (System.currentTimeMillis() < until) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException ignored) {
                            // deliberately ignores cancellation
                        }
                    }
                } else if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                ctx.cancellation().throwIfCancelled();
                ctx.metrics().log(step, "train/value", p.getDouble("x") * scale * step + noise);
                ctx.progress().update(step + 1);
            }
            ctx.metrics().summary("noise", noise);
            ctx.metrics().artifact("params.txt", p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Map<String, Double> summary = new LinkedHashMap<>();
            summary.put("result", p.getDouble("x") * scale * p.getLong("n") + noise);
            return summary;
        }
    }

    /**
     * Busy for busy_ms per step without ever blocking, as a real compute loop is: the interrupt
     * flag that cancellation sets stays set (no sleep clears it) while the trial's end is recorded.
     */
    public static final class SpinTask implements Task {
        static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.real("x").defaultValue(1.0).range(0, 100).doc("An input."),
                Param.integer("steps").defaultValue(3).range(1, 100_000).doc("Metric points logged."),
                Param.integer("busy_ms").defaultValue(10).range(0, 60_000).doc("Busy time per step."));

        @Override
        public Map<String, Double> run(TrialContext ctx) {
            int steps = ctx.params().getInt("steps");
            long busy = ctx.params().getLong("busy_ms");
            ctx.progress().total(steps);
            for (int step = 0; step < steps; step++) {
                long until = System.nanoTime() + busy * 1_000_000;
                while (System.nanoTime() < until) {
                    ctx.cancellation().throwIfCancelled();
                }
                ctx.metrics().log(step, "train/value", ctx.params().getDouble("x") * step);
                ctx.progress().update(step + 1);
            }
            return Map.of("result", ctx.params().getDouble("x") * steps);
        }
    }

    /**
     * A formula parameter ({@code m = "4 * d"}) and, at steps 1 and 2, +Infinity and NaN points: what
     * trackers' readers have to get through (W&B's importer, the offline exporter).
     */
    public static final class FormulaTask implements Task {
        static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.integer("d").defaultValue(16).range(1, 1000).doc("A size."),
                Param.expression("m", "d").defaultValue("4 * d").doc("Rows, a formula in d."),
                Param.choice("mode", "ok", "fail").defaultValue("ok").doc("fail: throw after the points."));
        static final MetricSchema METRICS = MetricSchema.summary("ratio", "rows").steps("train/ratio", "eval/score");

        @Override
        public Map<String, Double> run(TrialContext ctx) {
            double rows = org.ablate.spi.Expressions.evaluate(ctx.params().get("m"), Map.of("d", (double) ctx.params().getInt("d")));
            double ratio = rows / ctx.params().getInt("d");
            ctx.metrics().log(0, "train/ratio", ratio);
            ctx.metrics().log(1, "train/ratio", Double.POSITIVE_INFINITY);
            ctx.metrics().log(2, "train/ratio", Double.NaN);
            ctx.metrics().log(2, "eval/score", ctx.seed() + 0.5);
            if (ctx.params().getString("mode").equals("fail")) {
                throw new IllegalStateException("formula failed as asked");
            }
            Map<String, Double> summary = new LinkedHashMap<>();
            summary.put("ratio", Double.NEGATIVE_INFINITY);
            summary.put("rows", rows);
            return summary;
        }
    }

    public static final class LabelTask implements Task {
        @Override
        public Map<String, Double> run(TrialContext ctx) {
            return Map.of("length", (double) ctx.params().getString("label").length());
        }
    }

    public static final class PlainGadget implements Gadget {
        @Override
        public double scale() {
            return 1.0;
        }
    }

    public static final class ScaledGadget implements Gadget {
        private final double factor;

        @jakarta.inject.Inject
        public ScaledGadget(@ComponentParams Parameters params) {
            this.factor = params.getDouble("factor");
        }

        @Override
        public double scale() {
            return factor;
        }
    }
}
