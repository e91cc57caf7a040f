package org.ablate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.config.ConfigException;

/** Turns the experiment argument into a file: a path as given, or a name under experiments/. */
final class ExperimentLocator {

    private ExperimentLocator() {
    }

    static Path locate(String argument) {
        Path direct = Path.of(argument);
        if (Files.isRegularFile(direct)) {
            return direct;
        }
        for (String candidate : new String[] {"experiments/" + argument + ".yaml", "experiments/" + argument + ".yml"}) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new ConfigException(argument, "experiment file not found (give a path to a .yaml file, or the name of one in experiments/)");
    }
}
