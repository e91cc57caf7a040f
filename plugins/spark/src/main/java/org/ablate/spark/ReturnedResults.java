package org.ablate.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ablate.spi.launch.TrialCommand;

/**
 * What a task needs to run its trial on an executor that does not see the driver's results folder
 * ({@code launcher.results=returned}): the experiment file's and the sweep provenance's text, shipped
 * in the task. On the executor the child runs against a private temporary folder holding copies of
 * both and its own results folder; the task returns the staged attempt's folder as bytes and the
 * temporary folder goes. Java and the classpath are still the driver's paths: they must be the same
 * on every worker.
 *
 * @param experimentFileName the experiment file's name, kept (a file without {@code name:} is named after it)
 * @param experimentName the experiment's results folder name, where the child stages its attempt
 * @param provenanceText the sweep's provenance, or null when the command names none
 * @param limitBytes the most the packed attempt folder may take (below what the driver accepts as a task's result)
 */
record ReturnedResults(String experimentFileName, String experimentText, String provenanceText, String experimentName,
                       long limitBytes) implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String RESULTS_DIR = "--results-dir";
    private static final String PROVENANCE = "--provenance";

    /** Driver side: reads the files the command names ({@code run-trial <experiment> ... --provenance FILE}). */
    static ReturnedResults of(TrialCommand command, Path experimentDir, long limitBytes) {
        List<String> args = command.arguments();
        if (args.size() < 2 || !args.get(0).equals("run-trial") || valueOf(args, RESULTS_DIR) < 0) {
            throw new IllegalStateException("not a run-trial command: " + args);
        }
        Path experiment = Path.of(args.get(1));
        int provenance = valueOf(args, PROVENANCE);
        try {
            return new ReturnedResults(experiment.getFileName().toString(), Files.readString(experiment, StandardCharsets.UTF_8),
                    provenance < 0 ? null : Files.readString(Path.of(args.get(provenance)), StandardCharsets.UTF_8),
                    experimentDir.getFileName().toString(), limitBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what the trials' tasks need: " + e.getMessage(), e);
        }
    }

    /** Executor side: a private temporary folder with the shipped files, for one attempt; {@link Local#close} removes it. */
    Local onExecutor() throws IOException {
        Path dir = Files.createTempDirectory("ablate-trial-"); // rwx------: the trial's records are the user's
        try {
            Path experiment = Files.writeString(dir.resolve(experimentFileName), experimentText, StandardCharsets.UTF_8);
            Path provenance = provenanceText == null ? null
                    : Files.writeString(dir.resolve("provenance.json"), provenanceText, StandardCharsets.UTF_8);
            return new Local(dir, experiment, Files.createDirectory(dir.resolve("results")), provenance);
        } catch (IOException | RuntimeException e) {
            AttemptBytes.deleteTree(dir);
            throw e;
        }
    }

    /** One attempt's temporary folder on an executor. */
    final class Local implements AutoCloseable {
        private final Path dir;
        private final Path experiment;
        private final Path results;
        private final Path provenance;

        private Local(Path dir, Path experiment, Path results, Path provenance) {
            this.dir = dir;
            this.experiment = experiment;
            this.results = results;
            this.provenance = provenance;
        }

        /** The results folder the child writes into (not the driver's). */
        Path results() {
            return results;
        }

        /** The same command against the local copies and results folder. */
        TrialCommand command(TrialCommand command) {
            List<String> args = new ArrayList<>(command.arguments());
            args.set(1, experiment.toString());
            args.set(valueOf(args, RESULTS_DIR), results.toString());
            int p = valueOf(args, PROVENANCE);
            if (p >= 0 && provenance != null) {
                args.set(p, provenance.toString());
            }
            return new TrialCommand(command.javaExecutable(), command.jvmOptions(), command.classpath(), command.mainClass(),
                    args, command.environment());
        }

        /** The attempt's packed folder, or null when the child staged none (it could not start, or refused the trial). */
        byte[] pack(String trialId, String attempt) throws IOException {
            Path staged = results.resolve(experimentName).resolve(TrialCommand.STAGING).resolve(trialId).resolve(attempt);
            return Files.isDirectory(staged) ? AttemptBytes.pack(staged, limitBytes) : null;
        }

        @Override
        public void close() {
            AttemptBytes.deleteTree(dir);
        }
    }

    /** The index of the value of {@code option} among the command's options (before the overrides), or -1. */
    private static int valueOf(List<String> args, String option) {
        for (int i = 2; i + 1 < args.size(); i++) {
            if (args.get(i).equals(option)) {
                return i + 1;
            }
        }
        return -1;
    }
}
