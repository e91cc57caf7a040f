package org.ablate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.ablate.config.ConfigException;
import org.ablate.config.Suggestions;
import org.ablate.service.ExperimentLocator;
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
        ResultsRoot.check(resultsDir);
        String name = name();
        ExperimentFolder folder = new ResultsStore(resultsDir).experiment(name);
        if (!folder.exists()) {
            List<String> known = experimentsWithResults(resultsDir);
            String hint = Suggestions.didYouMean(name, known);
            throw new ConfigException(experiment, "no results for experiment '" + name + "' in " + resultsDir + hint
                    + (known.isEmpty() ? " (run it first: ablate run <file>.yaml)"
                    : " (experiments with results there: " + String.join(", ", known) + ")"));
        }
        return folder;
    }

    /** The folders of the store that hold a sweep (archived ones left out), by name. */
    private static List<String> experimentsWithResults(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(p -> Files.exists(p.resolve(ExperimentFolder.SWEEP)))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.contains(".archived-"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of(); // only a hint
        }
    }
}
