package org.ablate.spi.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ablate.spi.TrialCancelledException;
import org.ablate.spi.TrialContext;
import org.ablate.spi.TrialFailedException;

/**
 * Runs a program (any language) as one trial under Ablate's trial protocol, from a Java task:
 * writes {@code task.json} into the trial folder, starts the program in a process group of its own
 * with the protocol's environment (and the Python client, {@code ablate_client}, on its
 * PYTHONPATH), sends its stdout and stderr to trial.log, relays the metrics and progress it writes
 * to the trial's sinks while it runs (so MLflow follows live), kills its whole process group when
 * the trial is cancelled (timeout, Ctrl-C), and returns its summary. A non-zero exit, a malformed
 * metrics line or a non-finite summary value ends the trial FAILED with a one-line reason
 * ({@link TrialFailedException}) and the tail of the program's stderr.
 *
 * <pre>{@code
 * return ExternalProgram.of(List.of("python3", "train.py", "--lr", "0.1"))
 *         .workingDirectory(experimentDir)
 *         .run(context);
 * }</pre>
 */
public final class ExternalProgram {

    /** The protocol's files, inside the trial folder. */
    public static final String TASK_FILE = "task.json";
    /** Where the program's client writes metrics.jsonl, summary.json and progress.json (relative to the trial folder). */
    public static final String RECORDS_DIR = "scratch/program";
    static final String CLIENT_DIR = "scratch/client";
    static final String CLIENT_MODULE = "ablate_client.py";
    /** The trial's log (the engine's {@code TrialFolder.LOG}). */
    static final String LOG_FILE = "trial.log";

    /** Tracking credentials and addresses: the program does not track (the framework does), so it never sees them. */
    private static final List<String> WITHHELD_PREFIXES = List.of("MLFLOW_", "WANDB_", "DATABRICKS_");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final long POLL_MS = 100;
    private static final String SETSID = findSetsid();

    private final List<String> argv;
    private Path workingDirectory;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Map<String, Object> params;
    private Integer threads;
    private List<String> gpus;
    private int stderrLines = 40;

    private ExternalProgram(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a program needs at least an executable");
        }
        this.argv = List.copyOf(argv);
    }

    /** The program and its arguments, as given (no shell). */
    public static ExternalProgram of(List<String> argv) {
        return new ExternalProgram(argv);
    }

    /** Where it runs (default: this process's working directory). */
    public ExternalProgram workingDirectory(Path dir) {
        this.workingDirectory = dir;
        return this;
    }

    /** Variables set for the program on top of the protocol's. */
    public ExternalProgram environment(Map<String, String> more) {
        environment.putAll(more);
        return this;
    }

    /** The parameters written to task.json (default: the trial's resolved parameters). */
    public ExternalProgram params(Map<String, Object> values) {
        this.params = new LinkedHashMap<>(values);
        return this;
    }

    /** Threads granted (default: the processors this JVM may use, which a launcher's {@code resources.cpus} sets). */
    public ExternalProgram threads(int n) {
        this.threads = n;
        return this;
    }

    /** GPU ids granted (default: this process's CUDA_VISIBLE_DEVICES, as a launcher handed them out). */
    public ExternalProgram gpus(List<String> ids) {
        this.gpus = List.copyOf(ids);
        return this;
    }

    /** How many of the program's last stderr lines are kept with a failure (default 40). */
    public ExternalProgram stderrLines(int n) {
        this.stderrLines = n;
        return this;
    }

    /** The GPUs this process was granted: its CUDA_VISIBLE_DEVICES, split at commas (empty when unset). */
    public static List<String> grantedGpus(Map<String, String> environment) {
        String visible = environment.get("CUDA_VISIBLE_DEVICES");
        if (visible == null) {
            return List.of();
        }
        return Arrays.stream(visible.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Runs the program to its end as the trial {@code context}.
     *
     * @return the summary it wrote (empty when it wrote none)
     * @throws TrialFailedException when it could not start, exited non-zero, or wrote malformed records
     * @throws TrialCancelledException when the trial was cancelled (the program's group is killed first)
     */
    public Map<String, Double> run(TrialContext context) throws IOException {
        Path dir = context.trialDir().toAbsolutePath();
        Path records = dir.resolve(RECORDS_DIR);
        Files.createDirectories(records);
        Path clientDir = installClient(dir.resolve(CLIENT_DIR));
        int granted = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        List<String> devices = gpus != null ? gpus : grantedGpus(System.getenv());
        boolean devicesKnown = gpus != null || System.getenv("CUDA_VISIBLE_DEVICES") != null;
        Path taskFile = dir.resolve(TASK_FILE);
        writeTask(taskFile, context, granted, devices);

        Path base = workingDirectory != null ? workingDirectory : Path.of("").toAbsolutePath();
        if (resolveExecutable(argv.get(0), base).isEmpty()) {
            throw new TrialFailedException("cannot start the program: " + argv.get(0)
                    + (argv.get(0).contains("/") ? " is not an executable file (relative to " + base + ")"
                    : " is not found on PATH"), "");
        }
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID); // its own session and process group: a terminal's Ctrl-C reaches the framework only
        }
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> WITHHELD_PREFIXES.stream().anyMatch(k::startsWith));
        env.put("ABLATE_TRIAL_DIR", dir.toString());
        env.put("ABLATE_TRIAL_ID", context.trialId());
        env.put("ABLATE_SEED", Long.toString(context.seed()));
        env.put("ABLATE_TASK_FILE", taskFile.toString());
        env.put("ABLATE_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        String n = Integer.toString(granted);
        for (String v : List.of("ABLATE_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
            env.put(v, n);
        }
        if (devicesKnown) {
            env.put("CUDA_VISIBLE_DEVICES", String.join(",", devices));
        }
        String pythonPath = env.get("PYTHONPATH");
        env.put("PYTHONPATH", clientDir + (pythonPath == null || pythonPath.isEmpty() ? "" : File.pathSeparator + pythonPath));
        env.put("PYTHONUNBUFFERED", "1"); // its prints reach trial.log as they happen
        env.putAll(environment);

        try (OutputStream log = new FileOutputStream(dir.resolve(LOG_FILE).toFile(), true)) {
            Process program;
            try {
                program = builder.start();
            } catch (IOException e) {
                throw new TrialFailedException("cannot start the program " + argv.get(0) + ": " + rootMessage(e), "");
            }
            program.getOutputStream().close(); // nothing to read from: a program waiting on stdin sees its end
            ProgramOutput output = new ProgramOutput(program, log, stderrLines, "program-" + context.trialId());
            ProgramRecords relay = new ProgramRecords(records, context.metrics(), context.progress());
            try {
                while (!program.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                    relay.poll();
                    if (relay.malformed() != null) {
                        killGroup(program);
                        throw new TrialFailedException("the program wrote a malformed record: " + relay.malformed(),
                                output.stderrTail());
                    }
                    if (context.cancellation().isCancelled()) {
                        killGroup(program);
                        throw new TrialCancelledException(context.cancellation().reason());
                    }
                }
            } catch (InterruptedException e) {
                killGroup(program);
                Thread.currentThread().interrupt();
                String reason = context.cancellation().reason();
                throw new TrialCancelledException(reason != null ? reason : "interrupted");
            } finally {
                if (program.isAlive()) {
                    killGroup(program); // anything thrown above (e.g. the store refusing a point) must not leave it running
                }
            }
            if (SETSID != null) {
                killGroup(program); // what it left running in its group (background jobs) ends with it
            }
            awaitQuietly(output);
            relay.finish();
            int code = program.exitValue();
            if (code != 0) {
                String last = output.lastStderrLine();
                throw new TrialFailedException("the program exited with code " + code + describeSignal(code)
                        + (last.isEmpty() ? " (nothing on stderr)" : ": " + last), output.stderrTail());
            }
            if (relay.malformed() != null) {
                throw new TrialFailedException("the program wrote a malformed record: " + relay.malformed(),
                        output.stderrTail());
            }
            try {
                return relay.summary();
            } catch (ProgramRecords.SummaryProblem p) {
                throw new TrialFailedException(p.getMessage(), output.stderrTail());
            }
        }
    }

    private void writeTask(Path file, TrialContext context, int granted, List<String> devices) throws IOException {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("trial_id", context.trialId());
        task.put("seed", context.seed());
        task.put("params", params != null ? params : context.params().asMap());
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("threads", granted);
        resources.put("gpus", devices);
        task.put("resources", resources);
        task.put("records_dir", RECORDS_DIR);
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, JSON.writeValueAsString(task) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The client module, copied from this class's resources, so any host that has the SPI can hand it on. */
    private static Path installClient(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream in = ExternalProgram.class.getResourceAsStream(CLIENT_MODULE)) {
            Objects.requireNonNull(in, "the SPI is built without its " + CLIENT_MODULE);
            Files.copy(in, dir.resolve(CLIENT_MODULE), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    /** Kills the program's process group (all it started, double-forked daemons too) and its descendants. */
    private static void killGroup(Process program) {
        List<ProcessHandle> descendants = program.descendants().toList();
        if (SETSID != null) {
            try {
                // the JDK has no killpg: kill(1) with a negative pid signals the group, which setsid made the program's pid
                new ProcessBuilder("kill", "-KILL", "--", "-" + program.pid()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // the tree kill below still ends what it can see
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        program.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            program.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ProgramOutput output) {
        try {
            output.awaitEnd();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describeSignal(int code) {
        return switch (code) {
            case 137 -> " (killed: SIGKILL, e.g. kill -9 or the out-of-memory killer)";
            case 143 -> " (terminated: SIGTERM)";
            case 139 -> " (SIGSEGV: a native crash)";
            case 134 -> " (aborted: SIGABRT)";
            default -> "";
        };
    }

    private static String rootMessage(IOException e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? e.toString() : t.getMessage();
    }

    /**
     * The file {@code name} runs: a name with a slash is a path (relative to {@code workingDirectory}),
     * any other is looked up on PATH, as a shell would. Empty when there is no such executable file.
     */
    public static Optional<Path> resolveExecutable(String name, Path workingDirectory) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.contains("/")) {
            Path p = workingDirectory.resolve(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** util-linux's setsid, when this system has it (Linux does; elsewhere the program shares our group). */
    private static String findSetsid() {
        return resolveExecutable("setsid", Path.of("/")).map(Path::toString).orElse(null);
    }
}
