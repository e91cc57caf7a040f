package org.ablate.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;

/**
 * Test plugin: a {@code resource-probe} task that records what its trial's process was given (its
 * GPUs, thread counts, processors), where it wrote the trial's folder and when it ran, so tests can
 * check what a child really saw.
 */
public final class ResourceProbePlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "resource-probe";
    }

    @Override
    protected void configure() {
        registerTask("resource-probe", "Records the child's CUDA_VISIBLE_DEVICES, thread counts and run interval.",
                Probe.SCHEMA, Probe.METRICS, Probe.class);
    }

    /** Holds for {@code hold_ms}, then writes {@code <record_dir>/<trial id>.<pid>.properties}. */
    public static final class Probe implements Task {

        static final ParameterSchema SCHEMA = ParameterSchema.of(
                Param.string("record_dir").doc("Folder the record is written to."),
                Param.integer("hold_ms").defaultValue(1000).range(0, 600_000).doc("How long the trial runs."),
                Param.integer("slot").defaultValue(0).doc("Only tells trials apart."));
        static final MetricSchema METRICS = MetricSchema.summary("processors");

        @Override
        public Map<String, Double> run(TrialContext context) throws IOException, InterruptedException {
            long start = System.currentTimeMillis();
            Thread.sleep(context.params().getInt("hold_ms"));
            long end = System.currentTimeMillis();
            Map<String, String> seen = new LinkedHashMap<>();
            for (String v : List.of("CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS")) {
                String value = System.getenv(v);
                seen.put(v, value == null ? "<unset>" : value);
            }
            seen.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
            seen.put("start", Long.toString(start));
            seen.put("end", Long.toString(end));
            // the folder the trial's process writes (its scratch folder is inside it)
            seen.put("folder", context.scratchDir().toAbsolutePath().getParent().toString());
            StringBuilder text = new StringBuilder();
            seen.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Path dir = Path.of(context.params().getString("record_dir"));
            String name = context.trialId() + "." + ProcessHandle.current().pid() + ".properties";
            Path tmp = Files.writeString(dir.resolve(name + ".tmp"), text, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return Map.of("processors", (double) Runtime.getRuntime().availableProcessors());
        }
    }
}
