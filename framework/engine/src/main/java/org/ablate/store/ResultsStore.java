package org.ablate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The local results store, the source of truth for every run: {@code <root>/<experiment>/<trial-id>/}.
 */
public final class ResultsStore {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    public ResultsStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public ExperimentFolder experiment(String name) {
        return new ExperimentFolder(root.resolve(name));
    }

    /**
     * For {@code --fresh}: renames the experiment's existing folder to
     * {@code <experiment>.archived-<time>} and returns the then-empty folder. Nothing is deleted.
     *
     * @return the archive folder, or null when there was nothing to move
     */
    public Path archive(String name) throws IOException {
        Path current = root.resolve(name);
        if (!Files.isDirectory(current)) {
            return null;
        }
        String stamp = LocalDateTime.now().format(STAMP);
        Path target = root.resolve(name + ".archived-" + stamp);
        for (int n = 2; Files.exists(target); n++) {
            target = root.resolve(name + ".archived-" + stamp + "-" + n);
        }
        try {
            Files.move(current, target);
        } catch (java.nio.file.FileSystemException e) {
            throw StoreException.cannotWrite(target, e);
        }
        return target;
    }
}
