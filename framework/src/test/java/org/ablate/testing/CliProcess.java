package org.ablate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the real CLI in a child JVM (for kill -9 and signal tests), with the test classpath. */
public final class CliProcess {

    private CliProcess() {
    }

    public static Process start(Path workDir, Path output, String... args) throws IOException {
        return start(workDir, output, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with these variables added to the child's environment. */
    public static Process start(Path workDir, Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.ablate.cli.AblateCli"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("CI", "true"); // plain log lines, no progress bar
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Sends a signal by name (INT, TERM, KILL) with the system's kill command. */
    public static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }
}
