package org.ablate.spi.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command that runs one trial outside this JVM: {@code javaExecutable [jvmOptions] -cp classpath
 * mainClass arguments}, where the arguments are {@code run-trial <experiment> --trial <id> ...}.
 * A launcher on another machine keeps the arguments and supplies its own java and classpath.
 * The child writes the trial's folder itself; it is never given tracking credentials.
 *
 * @param environment variables to set for the child, on top of the launcher's own environment
 */
public record TrialCommand(String javaExecutable, List<String> jvmOptions, String classpath, String mainClass,
                           List<String> arguments, Map<String, String> environment) {

    public TrialCommand {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /** The whole command line, for a process builder. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(javaExecutable);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(mainClass);
        argv.addAll(arguments);
        return argv;
    }

    public TrialCommand withJvmOptions(List<String> more) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(more);
        return new TrialCommand(javaExecutable, all, classpath, mainClass, arguments, environment);
    }

    /**
     * The same command run as one attempt ({@code --attempt TOKEN}): the trial writes a staged folder
     * that the engine commits when the launcher reports the end with {@link TrialEnd#ofAttempt}, so
     * a retried or duplicated attempt can never be committed twice. A duplicate started after the
     * commit exits {@link #ALREADY_COMMITTED} without running. The token is 1 to 64 of letters,
     * digits, '.', '_', '-' (first a letter or digit), unique among the trial's attempts.
     */
    public TrialCommand withAttempt(String token) {
        List<String> args = new ArrayList<>(arguments);
        args.add("--attempt");
        args.add(token);
        return new TrialCommand(javaExecutable, jvmOptions, classpath, mainClass, args, environment);
    }

    /**
     * The folder, inside the experiment's results folder, where attempts are staged: an attempt of
     * trial ID with token T writes {@code .staging/ID/T/} (status last) for the engine to commit.
     */
    public static final String STAGING = ".staging";

    /**
     * The folder, inside the experiment's results folder, where earlier attempts are kept
     * ({@code .attempts/ID.N/}, never deleted), and a launcher keeps what it could not stage.
     */
    public static final String ATTEMPTS = ".attempts";

    /** The exit code of an attempt that found its trial already committed FINISHED (it ran nothing). */
    public static final int ALREADY_COMMITTED = 9;

    public TrialCommand withEnvironment(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.putAll(more);
        return new TrialCommand(javaExecutable, jvmOptions, classpath, mainClass, arguments, all);
    }
}
