package org.ablate.provenance;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ablate.plugin.LoadedPlugin;

/**
 * Where a result came from, recorded in every trial's config.json: the code (git commit and
 * whether the tree was dirty), the runtime (Java, the ND4J backend ND4J loads and its device, host)
 * and each plugin's version.
 */
public final class Provenance {

    private Provenance() {
    }

    public static Map<String, Object> collect(Path workingDir, List<LoadedPlugin> plugins) {
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> git = new LinkedHashMap<>();
        String commit = git(workingDir, "rev-parse", "HEAD");
        git.put("commit", commit);
        if (commit != null) {
            String status = git(workingDir, "status", "--porcelain", "--untracked-files=no");
            git.put("dirty", status != null && !status.isBlank());
        } else {
            git.put("dirty", null);
        }
        p.put("git", git);
        p.put("java_version", System.getProperty("java.version"));
        p.put("java_vendor", System.getProperty("java.vendor"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        Nd4jBackend nd4j = Nd4jBackend.forProvenance();
        p.put("nd4j_backend", nd4j.backend());
        p.putAll(nd4j.provenanceFields());
        p.put("host", hostName());
        p.put("user", System.getProperty("user.name"));
        p.put("cpus", Runtime.getRuntime().availableProcessors());
        Map<String, Object> pluginVersions = new LinkedHashMap<>();
        for (LoadedPlugin plugin : plugins) {
            pluginVersions.put(plugin.name(), Map.of("version", plugin.version(), "class", plugin.className()));
        }
        p.put("plugins", pluginVersions);
        return p;
    }

    /**
     * The command line as recorded in config.json and sweep.json ({@code command}) and sent to
     * MLflow: the arguments joined by spaces, with the user-info and query values of any URL in
     * them masked ({@code --tracking-uri http://user:secret@host} and {@code --tracking-uri=...}).
     */
    public static String command(String program, List<String> args) {
        StringBuilder b = new StringBuilder(program);
        args.forEach(a -> b.append(' ').append(Redaction.redactArgument(a)));
        return b.toString();
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    /** Output of a git command in {@code dir}, or null when git or the repository is absent. */
    private static String git(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
