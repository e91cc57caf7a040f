package org.ablate.cli;

import java.nio.file.Path;
import org.ablate.config.ConfigException;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The experiment a results command works on, and the results store holding it (a picocli mixin). */
final class ExperimentArgument {

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "The experiment's name, or its .yaml file.")
    String experiment;

    @Option(names = "--results-dir", paramLabel = "DIR", defaultValue = "${env:ABLATE_RESULTS:-results}",
            description = "Results store root (default: $ABLATE_RESULTS or ./results).")
    Path resultsDir;

    String name() {
        return ExperimentLocator.experimentName(experiment);
    }

    /** The experiment's results folder; a one-line error when the experiment never ran here. */
    ExperimentFolder folder() {
        String name = name();
        ExperimentFolder folder = new ResultsStore(resultsDir).experiment(name);
        if (!folder.exists()) {
            throw new ConfigException(experiment, "no results for experiment '" + name + "' in " + resultsDir
                    + " (run it first: ablate run <file>.yaml)");
        }
        return folder;
    }
}
