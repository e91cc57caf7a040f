package org.ablate.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;
import org.ablate.spi.task.ExternalProgram;

/** Runs a Python script under the trial protocol, as a plugin's task would ({@link ExternalProgram}). */
public final class ProgramTask implements Task {

    static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.string("script").doc("The script's path."),
            Param.string("mode").defaultValue("ok").doc("What the script does; it reads it from task.json."),
            Param.integer("steps").defaultValue(3).range(0, 100_000).doc("Metric points per metric."),
            Param.real("x").defaultValue(1.0).range(0, 100).doc("An input."));

    @Override
    public Map<String, Double> run(TrialContext ctx) throws Exception {
        Path script = Path.of(ctx.params().getString("script"));
        return ExternalProgram.of(List.of("python3", script.getFileName().toString(), ctx.params().getString("mode")))
                .workingDirectory(script.getParent())
                .run(ctx);
    }
}
