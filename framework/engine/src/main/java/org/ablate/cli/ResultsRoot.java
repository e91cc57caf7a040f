package org.ablate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ablate.config.ConfigException;

/** The --results-dir option checked: a folder, or a path where one can be made. */
final class ResultsRoot {

    private ResultsRoot() {
    }

    /** A bad --results-dir is bad option input (exit 2), found before anything is read or written. */
    static Path check(Path resultsDir) {
        if (resultsDir.toString().isBlank()) { // '' would silently mean the current folder
            throw new ConfigException("--results-dir ''", "empty (give a folder for the results store, or omit it for ./results)");
        }
        for (Path p = resultsDir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new ConfigException("--results-dir " + resultsDir, (p.equals(resultsDir.toAbsolutePath())
                            ? "is a file, not a folder" : p + " is a file, not a folder")
                            + " (give a folder for the results store, or omit it for ./results)");
                }
                return resultsDir;
            }
        }
        return resultsDir;
    }
}
