package org.ablate.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the real CLI in a child JVM (for kill -9 and signal tests), with the test classpath. */
public final class CliProcess {

    /**
     * coreutils env, which execs the JVM (same pid) with SIGINT back at its default. A build started
     * in the background of a non-interactive shell ({@code nohup mvn test &}) passes SIGINT on as
     * ignored, and a JVM that starts with it ignored never sees Ctrl-C: the signal tests would then
     * test how the build was started, not the CLI.
     */
    private static final List<String> WITH_DEFAULT_SIGINT = List.of("env", "--default-signal=INT");

    private CliProcess() {
    }

    public static Process start(Path workDir, Path output, String... args) throws IOException {
        return start(workDir, output, Map.of(), args);
    }

    /** As {@link #start(Path, Path, String...)}, with these variables added to the child's environment. */
    public static Process start(Path workDir, Path output, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(WITH_DEFAULT_SIGINT);
        command.addAll(List.of(
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

    /**
     * Starts the CLI on a pseudo-terminal (util-linux {@code script}), as a person at a terminal
     * runs it: no CI variable, so the default progress mode is the bar. Returns the {@code script}
     * process; {@link #cliOf} finds the JVM under it, to signal it as Ctrl-C would.
     */
    public static Process startOnTerminal(Path workDir, Path output, String... args) throws IOException {
        StringBuilder command = new StringBuilder(String.join(" ", WITH_DEFAULT_SIGINT)).append(' ');
        command.append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .append(" -cp ").append(quote(System.getProperty("java.class.path")))
                .append(" org.ablate.cli.AblateCli");
        for (String a : args) {
            command.append(' ').append(quote(a));
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command.toString(), "/dev/null")
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("CI");
        pb.environment().put("TERM", "xterm");
        pb.environment().put("COLUMNS", "80");
        return pb.start();
    }

    /** The JVM that {@link #startOnTerminal} started, once it is running. */
    public static ProcessHandle cliOf(Process script) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            java.util.Optional<ProcessHandle> jvm = script.descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
            if (jvm.isPresent()) {
                return jvm.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no JVM under " + script.pid());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Sends a signal by name (INT, TERM, KILL) with the system's kill command. */
    public static void signal(Process process, String signal) throws IOException, InterruptedException {
        signal(process.pid(), signal);
    }

    public static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " failed");
        }
    }
}
