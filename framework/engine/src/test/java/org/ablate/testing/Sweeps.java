package org.ablate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ExperimentParser;
import org.ablate.experiment.SweepExpander;
import org.ablate.experiment.SweepPlan;
import org.ablate.plugin.PluginRuntime;
import org.ablate.run.RunOptions;
import org.ablate.run.SweepResult;
import org.ablate.run.SweepRunner;
import org.ablate.store.ResultsStore;

/** Runs experiment text through the real parser, expander and runner into a temporary store. */
public final class Sweeps {

    private static PluginRuntime engine;

    private Sweeps() {
    }

    public static synchronized PluginRuntime engine() {
        if (engine == null) {
            engine = PluginRuntime.start();
        }
        return engine;
    }

    public static Path write(Path dir, String name, String yaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    public static SweepPlan plan(Path file, String... overrides) {
        return new SweepExpander(engine().registry())
                .expand(CommandLineOverrides.apply(ExperimentParser.parse(file), List.of(overrides)));
    }

    public static SweepResult run(Path file, Path results, RunOptions options, String... overrides)
            throws IOException, InterruptedException {
        return new SweepRunner(new ResultsStore(results), engine()).run(plan(file, overrides), options, "test");
    }

    public static SweepResult run(Path file, Path results, String... overrides) throws IOException, InterruptedException {
        return run(file, results, RunOptions.defaults(), overrides);
    }
}
