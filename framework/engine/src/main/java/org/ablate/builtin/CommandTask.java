package org.ablate.builtin;

import com.google.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.experiment.CommandSpec;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;
import org.ablate.spi.TrialContext;
import org.ablate.spi.task.ExternalProgram;

/**
 * {@code task: command}: runs the experiment file's program once per trial under the trial
 * protocol ({@link ExternalProgram}), its {@code {param}} placeholders filled from the trial's
 * parameters, in the experiment file's folder.
 */
public final class CommandTask implements Task {

    private final List<String> argv;
    private final Path workingDirectory;

    /** @param program the file's {@code command:} as {@link CommandSpec#taskOptions()} gives it */
    @Inject
    public CommandTask(@ComponentParams Parameters program) {
        if (!program.has(CommandSpec.ARGV)) {
            throw new IllegalStateException("task: command runs only from an experiment file with a command: list");
        }
        this.argv = program.getStringList(CommandSpec.ARGV);
        this.workingDirectory = Path.of(program.getString(CommandSpec.WORKING_DIRECTORY));
    }

    @Override
    public Map<String, Double> run(TrialContext context) throws Exception {
        return ExternalProgram.of(CommandSpec.resolve(argv, context.params()))
                .workingDirectory(workingDirectory)
                .run(context);
    }
}
