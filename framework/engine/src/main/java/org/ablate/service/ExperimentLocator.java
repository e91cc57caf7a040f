package org.ablate.service;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.config.ConfigException;

/** Turns the experiment argument into a file: a path as given, or a name under experiments/. */
public final class ExperimentLocator {

    private ExperimentLocator() {
    }

    public static Path locate(String argument) {
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
        if (Files.exists(direct)) { // "not found" would send the user looking for a file that is there
            throw new ConfigException(argument, (Files.isDirectory(direct) ? "a folder" : "not a regular file (a device or pipe)")
                    + ", not an experiment file (give a path to a .yaml file, or the name of one in experiments/)");
        }
        throw new ConfigException(argument, "experiment file not found (give a path to a .yaml file, or the name of one in experiments/)");
    }

    /** A name as given, or the name declared by (or derived from) an experiment file. */
    public static String experimentName(String argument) {
        Path p = Path.of(argument);
        if (argument.endsWith(".yaml") || argument.endsWith(".yml") || Files.isRegularFile(p)) {
            return org.ablate.experiment.ExperimentParser.parse(locate(argument)).name();
        }
        // the name becomes a folder under the results root: "../x" or "a/b" would read and write outside it
        if (!org.ablate.experiment.ExperimentParser.isExperimentName(argument)) {
            throw new ConfigException(argument, "not an experiment name (letters, digits, '.', '_', '-', starting with a "
                    + "letter or digit) and not an experiment file (give a name, or the path of a .yaml file)");
        }
        if (argument.length() > org.ablate.experiment.ExperimentParser.MAX_NAME_LENGTH) {
            throw new ConfigException(argument.substring(0, 40) + "...", org.ablate.experiment.ExperimentParser.tooLong(argument));
        }
        return argument;
    }
}
