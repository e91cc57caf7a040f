package org.ablate.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ablate.spi.launch.TrialProcess;

/**
 * Runs Slurm's client commands (sbatch, squeue, scancel, sacct) as the user would, with this
 * process's environment less tracking credentials: sbatch passes its environment on to the job,
 * and a trial's process never sees those. Slurm's own error line is what a failure says.
 */
final class SlurmCommands {

    /** A client command that hangs (an unreachable controller retries for a long time) is given up on. */
    private static final long TIMEOUT_S = 60;

    record Output(int code, String out, String err) {
    }

    /** Whether a command of this name is on PATH (what ProcessBuilder would find). */
    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    static String missing(String command) {
        return command + " not found on PATH (the slurm launcher runs Slurm's client commands: use it on a host"
                + " that can submit to the cluster, e.g. a login node, or add Slurm's bin folder to PATH)";
    }

    /** Runs the command to its end; a non-zero exit is returned, not thrown. */
    static Output run(List<String> argv) throws SlurmException {
        if (!onPath(argv.get(0))) {
            throw new SlurmException(missing(argv.get(0)));
        }
        ProcessBuilder builder = new ProcessBuilder(argv);
        TrialProcess.withoutTrackingVariables(builder.environment());
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ablate-slurm-", ".out");
            err = Files.createTempFile("ablate-slurm-", ".err");
            Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(argv.get(0) + " did not answer within " + TIMEOUT_S + " s (is slurmctld reachable?)");
            }
            return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlurmException("cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException(argv.get(0) + " was interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs the command and returns its output; a non-zero exit throws with Slurm's message. */
    static String check(List<String> argv) throws SlurmException {
        Output o = run(argv);
        if (o.code() != 0) {
            throw new SlurmException(message(o));
        }
        return o.out();
    }

    /** Slurm's own words for a failure: its error lines, on one line. */
    static String message(Output o) {
        List<String> lines = new ArrayList<>();
        for (String l : (o.err() + "\n" + o.out()).split("\n")) {
            if (!l.isBlank()) {
                lines.add(l.strip());
            }
        }
        List<String> errors = lines.stream().filter(l -> l.contains("error")).toList();
        List<String> said = errors.isEmpty() ? lines : errors;
        return said.isEmpty() ? "exit code " + o.code() : String.join("; ", said);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind
            }
        }
    }
}
