package org.ablate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A results folder written by the first committed writer (5957c42: {@code ablate run
 * experiments/example-quick.yaml}, once with {@code samples=200000000 repeats=1 --trial-timeout 1s}
 * and once plain; the one trial whose end that version could not record was left out), kept as a
 * test resource so every reader of today is checked against files it did not write. What each
 * reader made of it before the typed store records is kept next to it ({@code expected/}); set
 * {@code -Dablate.committedEra.write=true} to write those files again instead of comparing.
 */
public final class CommittedEraFolder {

    public static final String EXPERIMENT = "example-quick";

    private CommittedEraFolder() {
    }

    /** A copy of the folder's results root under {@code dir} (tests never touch the resource itself). */
    public static Path copyTo(Path dir) throws IOException {
        Path source = resource("results");
        Path target = dir.resolve("results");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** Asserts that {@code actual} is what the reader printed before, with the copy's root written {@code <results>}. */
    public static void assertAsBefore(String name, String actual, Path results) throws IOException {
        String normalised = actual.replace(results.toAbsolutePath().toString(), "<results>").replace(results.toString(), "<results>");
        if (Boolean.getBoolean("ablate.committedEra.write")) {
            Path sources = Path.of("src/test/resources/committed-era/expected").resolve(name);
            Files.writeString(sources, normalised, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(resource("expected").resolve(name), StandardCharsets.UTF_8), normalised, name);
    }

    private static Path resource(String name) {
        try {
            return Path.of(CommittedEraFolder.class.getResource("/committed-era/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
