package org.ablate.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need to run a trial's task ({@code spark.jars}): this plugin's and
 * the SPI's, the only Ablate code a task touches (Spark ships them from the driver, so the cluster
 * needs no Ablate install). A class folder (a build's {@code target/classes}) is packed into a
 * temporary jar first, since Spark ships only files.
 */
final class ApplicationJars {

    private ApplicationJars() {
    }

    /** The jar (or packed class folder) of each class's code source, in order, without duplicates. */
    static List<String> of(Class<?>... classes) {
        Set<Path> sources = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                sources.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException | NullPointerException e) {
                throw new IllegalStateException("cannot find the jar of " + c.getName() + " to ship to the executors", e);
            }
        }
        List<String> jars = new ArrayList<>();
        for (Path source : sources) {
            jars.add((Files.isDirectory(source) ? pack(source) : source).toAbsolutePath().toString());
        }
        return jars;
    }

    private static Path pack(Path folder) {
        try {
            Path jar = Files.createTempFile("ablate-" + folder.getParent().getParent().getFileName() + "-", ".jar");
            jar.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                 Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    zip.putNextEntry(new JarEntry(folder.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + folder + " into a jar for the executors: " + e.getMessage(), e);
        }
    }
}
