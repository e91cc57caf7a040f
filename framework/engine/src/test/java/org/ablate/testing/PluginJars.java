package org.ablate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars during a test: compiles Java sources against the test classpath and
 * packs the classes with a META-INF/services entry, as a plugin author's build would.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param sources fully qualified class name → source text
     * @param serviceEntries lines of META-INF/services/org.ablate.spi.Plugin
     */
    public static Path build(Path dir, String jarName, Map<String, String> sources, List<String> serviceEntries)
            throws IOException {
        Path src = Files.createDirectories(dir.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(dir.resolve(jarName + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-proc:none", "--release", "17"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int rc = compiler.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin sources did not compile");
        }
        Path jar = dir.resolve(jarName + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/org.ablate.spi.Plugin"));
            out.write((String.join("\n", serviceEntries) + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path c : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(c));
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
