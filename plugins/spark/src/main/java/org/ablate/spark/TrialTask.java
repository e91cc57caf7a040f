package org.ablate.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ablate.spi.launch.ClassArchive;
import org.ablate.spi.launch.TrialCommand;
import org.ablate.spi.launch.TrialProcess;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceUtils;
import org.apache.spark.api.java.function.Function;

/**
 * The one task of a trial's Spark job, run on an executor: starts the trial's child JVM as one
 * staged attempt ({@code run-trial --attempt <stage>.<partition>.<attempt number>}) and waits for
 * it. The child's exit (0, or a trial's own failure) is returned as a {@link Result} naming the
 * attempt, never thrown, so Spark does not retry a trial that failed by itself; the driver commits
 * that attempt. A child killed by a signal (SIGKILL, SIGTERM, SIGHUP: the machine's or the
 * cluster's doing, not the trial's) is thrown as {@link AttemptLost}, so Spark retries it like an
 * executor it lost, up to {@code spark.task.maxFailures}. A cancelled job (timeout, Ctrl-C)
 * interrupts the task, which kills the child's whole process tree. With the results returned
 * ({@link ReturnedResults}) the child writes into a temporary folder of the executor's and the
 * attempt's folder comes back in the {@link Result}. Children start from their host's class archive.
 */
final class TrialTask implements Function<TrialTask.Input, TrialTask.Result> {

    private static final long serialVersionUID = 1L;
    private static final long POLL_MS = 50;
    /**
     * The children running in this JVM. When it exits (Ctrl-C of the driver in local mode, an
     * executor told to stop) Spark stops its tasks without interrupting them, so a hook kills these.
     */
    private static final Set<TrialProcess> RUNNING = ConcurrentHashMap.newKeySet();
    /**
     * This executor's class archive per java and classpath (one instance each, so that one child at a
     * time writes it); empty where the classpath cannot be archived (a class folder on it).
     */
    private static final Map<String, Optional<ClassArchive>> ARCHIVES = new ConcurrentHashMap<>();

    /** The temporary folders of this JVM's returned-results attempts, removed by the same hook once their children are dead. */
    private static final Set<ReturnedResults.Local> LOCAL_FOLDERS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RUNNING.forEach(TrialProcess::killTree);
            LOCAL_FOLDERS.forEach(ReturnedResults.Local::close);
        }, "trial-children-kill"));
    }

    /** A {@link TrialCommand} in serializable form (the SPI's record is not). */
    record Input(String trialId, String javaExecutable, ArrayList<String> jvmOptions, String classpath, String mainClass,
                 ArrayList<String> arguments, LinkedHashMap<String, String> environment, int outputLines,
                 boolean assignedGpusOnly, ReturnedResults returned, boolean classArchive) implements Serializable {

        /**
         * @param assignedGpusOnly set the child's CUDA_VISIBLE_DEVICES to the task's GPU addresses ("" for none)
         * @param returned null: the child writes into the shared results folder; else what it needs to run
         *                 against a folder of the executor's own, whose attempt the task returns as bytes
         * @param classArchive start the child from the class archive of its host ({@link ClassArchive})
         */
        static Input of(String trialId, TrialCommand command, int outputLines, boolean assignedGpusOnly,
                        ReturnedResults returned, boolean classArchive) {
            return new Input(trialId, command.javaExecutable(), new ArrayList<>(command.jvmOptions()), command.classpath(),
                    command.mainClass(), new ArrayList<>(command.arguments()), new LinkedHashMap<>(command.environment()),
                    outputLines, assignedGpusOnly, returned, classArchive);
        }

        TrialCommand command(TaskContext task) {
            LinkedHashMap<String, String> env = new LinkedHashMap<>(environment);
            if (assignedGpusOnly) {
                ResourceInformation gpus = task == null ? null : task.resourcesJMap().get(ResourceUtils.GPU());
                env.put("CUDA_VISIBLE_DEVICES", gpus == null ? "" : String.join(",", gpus.addresses()));
            }
            return new TrialCommand(javaExecutable, jvmOptions, classpath, mainClass, arguments, env);
        }
    }

    /**
     * @param exitCode the child's exit code, or -1 when it could not be started or its folder not returned
     * @param output the child's last output lines (only kept when it did not exit 0), or why it could not start
     * @param folder the attempt's staged folder packed ({@link AttemptBytes}) when the results are returned,
     *               else (or when the child staged none) null
     */
    record Result(int exitCode, String output, String attempt, byte[] folder) implements Serializable {
    }

    /** The attempt was lost to infrastructure (its process killed by a signal): Spark retries the task. */
    static final class AttemptLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttemptLost(String message) {
            super(message);
        }
    }

    /** Exit codes of a child killed by SIGHUP, SIGKILL or SIGTERM (128 + signal): not the trial's own failure. */
    private static final Set<Integer> LOST = Set.of(129, 137, 143);

    /** The attempt's token: unique among the trial's attempts (one job per trial, one task per job). */
    static String attemptToken(TaskContext task) {
        return task == null ? "0.0.0" : task.stageId() + "." + task.partitionId() + "." + task.attemptNumber();
    }

    @Override
    public Result call(Input input) throws InterruptedException {
        String attempt = attemptToken(TaskContext.get());
        ReturnedResults.Local local;
        try {
            local = input.returned() == null ? null : input.returned().onExecutor();
        } catch (IOException e) {
            return new Result(-1, "cannot prepare the trial's temporary folder on the executor: " + e.getMessage(), attempt, null);
        }
        if (local != null) {
            LOCAL_FOLDERS.add(local);
        }
        try {
            return run(input, attempt, local);
        } finally {
            if (local != null) {
                local.close(); // after the child is gone: returned, lost or cancelled, nothing of it stays on the executor
                LOCAL_FOLDERS.remove(local);
            }
        }
    }

    private static Result run(Input input, String attempt, ReturnedResults.Local local) throws InterruptedException {
        TrialCommand command = input.command(TaskContext.get()).withAttempt(attempt);
        if (local != null) {
            command = local.command(command);
        }
        ClassArchive archive = input.classArchive() ? archiveFor(command) : null;
        ClassArchive.Use classes = archive == null ? ClassArchive.Use.NONE : archive.next(stageOf(TaskContext.get()));
        boolean clean = false;
        try {
            Result result = run(input, attempt, local, command.withJvmOptions(classes.jvmOptions()));
            clean = result.exitCode() == 0;
            return result;
        } finally {
            if (archive != null) {
                archive.finished(classes, clean); // an archive written by a child that did not exit cleanly is dropped
            }
        }
    }

    private static ClassArchive archiveFor(TrialCommand command) {
        return ARCHIVES.computeIfAbsent(command.javaExecutable() + "\n" + command.classpath(),
                k -> Optional.ofNullable(ClassArchive.forCommand(command))).orElse(null);
    }

    private static int stageOf(TaskContext task) {
        return task == null ? 0 : task.stageId();
    }

    private static Result run(Input input, String attempt, ReturnedResults.Local local, TrialCommand command)
            throws InterruptedException {
        TrialProcess child;
        try {
            child = TrialProcess.start(command, input.outputLines(), "trial-output-" + input.trialId());
        } catch (IOException e) {
            return new Result(-1, "cannot start the trial's process: " + e.getMessage(), attempt, null);
        }
        RUNNING.add(child);
        try {
            while (!child.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                TaskContext task = TaskContext.get();
                if (task != null && task.isInterrupted()) {
                    throw new InterruptedException("the trial's Spark task was killed");
                }
            }
        } catch (InterruptedException e) {
            // cancelJobGroup (timeout, Ctrl-C) or a lost driver: nothing of the trial may outlive its task
            child.killTree();
            throw e;
        } finally {
            RUNNING.remove(child);
        }
        int code = child.exitValue();
        if (LOST.contains(code)) {
            child.killTree(); // what the child started dies with it
            throw new AttemptLost("attempt " + attempt + " of trial " + input.trialId() + " lost: "
                    + TrialProcess.exitReason(code));
        }
        String output = code == 0 ? "" : child.output();
        if (local == null) {
            return new Result(code, output, attempt, null);
        }
        try {
            return new Result(code, output, attempt, local.pack(input.trialId(), attempt));
        } catch (AttemptBytes.TooLarge e) {
            // retrying would only pack it again: the trial's own outcome, FAILED, with what to change
            return new Result(-1, "the trial's folder is too large to return to the driver (" + e.getMessage()
                    + ", launcher.max_returned); raise launcher.max_returned (and spark.driver.maxResultSize) or share the"
                    + " results folder (launcher.results=shared)", attempt, null);
        } catch (IOException e) {
            return new Result(-1, "cannot pack the trial's folder on the executor: " + e.getMessage(), attempt, null);
        }
    }
}
