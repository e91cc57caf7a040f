package org.ablate.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.LaunchContext;
import org.ablate.spi.launch.LaunchTrial;
import org.ablate.spi.launch.TrialCommand;
import org.ablate.spi.launch.TrialEnd;
import org.ablate.spi.launch.TrialDeadline;
import org.ablate.spi.launch.TrialProcess;
import org.ablate.spi.launch.LauncherUnavailableException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep on Spark, driver side: starts a Spark context for the sweep, submits one job per trial
 * (at most the sweep's parallelism at once) in a job group named after the trial id, and maps the
 * job's end to the trial's: the child's exit as the process launcher maps it, a timeout or Ctrl-C
 * as {@code cancelJobGroup}. Each task attempt writes a staged attempt folder, and the attempt the
 * job returns is committed by the engine on this side (which holds the experiment's lock): a trial
 * is committed once under task retries and executor loss. With {@code launcher.results=shared} the
 * child writes into the results folder itself, so the executors must share it (always so in local
 * mode); with {@code returned} it writes on its executor and the task returns the attempt's folder,
 * unpacked here before the end is reported. On a cluster the sweep starts once an executor is there.
 */
final class SparkSweep {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSweep.class);
    private static final long POLL_MS = 50;
    private static final long EXECUTOR_POLL_MS = 200;
    /** What a task's result carries besides the packed folder (Spark's own framing, the other fields). */
    private static final long RESULT_SLACK_BYTES = 1L << 20;
    private static final java.util.regex.Pattern LOOPBACK_MASTER =
            java.util.regex.Pattern.compile("spark://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?");

    private final JavaSparkContext spark;
    private final LaunchContext context;
    private final Parameters options;
    /** With launcher.results=returned: what each task ships (read once, the files are the sweep's); else null. */
    private ReturnedResults returned;

    private SparkSweep(JavaSparkContext spark, LaunchContext context) {
        this.spark = spark;
        this.context = context;
        this.options = context.options();
    }

    /**
     * The most a task may return: launcher.max_returned, below the driver's limit on a job's results
     * (spark.driver.maxResultSize, 0 for none), which would otherwise fail the job with Spark's own error.
     */
    private long returnLimit() {
        long limit = SparkLauncher.maxReturned(options);
        long driver = spark.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        // and below what one byte array can hold, which is what a task's result is
        limit = Math.min(limit, Integer.MAX_VALUE - 8L - RESULT_SLACK_BYTES);
        return driver > 0 ? Math.max(1, Math.min(limit, driver - RESULT_SLACK_BYTES)) : limit;
    }

    private synchronized ReturnedResults returned(TrialCommand command) {
        if (returned == null) {
            returned = ReturnedResults.of(command, context.experimentDir(), returnLimit());
        }
        return returned;
    }

    static void run(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException {
        SparkConf conf = new SparkConf()
                .setMaster(SparkLauncher.master(context.options()))
                .setAppName("ablate")
                // the driver is a CLI, not a service: no web UI port to take
                .set("spark.ui.enabled", "false")
                // a speculative copy could never be committed (the first attempt reported is, the others are
                // archived): it would only take an executor from another trial
                .set("spark.speculation", "false");
        String master = conf.get("spark.master");
        String driverHost = context.options().getString("driver_host");
        if (master.startsWith("local") || (driverHost.isEmpty() && LOOPBACK_MASTER.matcher(master).matches())) {
            // driver and executors on this machine: no need to look for (or warn about) a routable address
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else if (!driverHost.isEmpty()) {
            conf.set("spark.driver.host", driverHost);
        }
        if (!master.startsWith("local")) {
            // a cluster's executors load the task's classes from these (without them a task fails to deserialize)
            conf.set("spark.jars", String.join(",", ApplicationJars.of(SparkSweep.class, TrialProcess.class)));
        }
        requestResources(conf, trials, context.options().getInt("executor_gpus"));
        long started = System.nanoTime();
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            LOG.info("Spark driver started in {} ms (master {})", (System.nanoTime() - started) / 1_000_000, spark.master());
            // with dynamic allocation an executor is only asked for once a job waits: nothing to wait for first
            boolean dynamic = conf.getBoolean("spark.dynamicAllocation.enabled", false);
            if (!spark.isLocal() && !dynamic
                    && !awaitFirstExecutor(spark, SparkLauncher.executorWait(context.options()), context)) {
                return; // stopped while waiting: no trial was announced, so all stay pending
            }
            new SparkSweep(spark, context).runAll(trials);
        }
    }

    /**
     * Waits until the cluster has given this application an executor: a master that accepts the
     * application but has no Worker that can host its executors (none registered, or none with the
     * cores, memory or GPUs asked for) would otherwise leave every job waiting forever. Nothing is
     * announced before, so an application given up on leaves every trial pending.
     *
     * @return false when the sweep was stopped while waiting
     * @throws LauncherUnavailableException when none came within {@code wait} (zero: no limit)
     */
    private static boolean awaitFirstExecutor(JavaSparkContext spark, Duration wait, LaunchContext context)
            throws InterruptedException {
        long since = System.nanoTime();
        // the driver's own block manager is one of these: an executor makes it two
        while (spark.sc().getExecutorMemoryStatus().size() < 2) {
            if (context.cancellation().isCancelled()) {
                return false;
            }
            if (!wait.isZero() && System.nanoTime() - since >= wait.toNanos()) {
                SparkConf conf = spark.getConf();
                String gpus = conf.get("spark.executor.resource.gpu.amount", "");
                throw new LauncherUnavailableException("launcher.master: the Spark master at " + spark.master()
                        + " gave this driver no executor within " + format(wait) + " (launcher.executor_wait); check that a"
                        + " Worker is registered with it (the master's web UI lists them) and that one has the free cores,"
                        + " memory and GPUs an executor here asks for (" + conf.get("spark.task.cpus", "1") + " core(s) per task, "
                        + conf.get("spark.executor.memory", "1g") + " of memory" + (gpus.isEmpty() ? "" : ", " + gpus + " GPU(s)")
                        + ")");
            }
            Thread.sleep(EXECUTOR_POLL_MS);
        }
        LOG.info("first executor registered after {} ms", (System.nanoTime() - since) / 1_000_000);
        return true;
    }

    /**
     * What each trial asks for becomes what its task takes from the scheduler: a task of a trial asking
     * for N cpus holds N executor cores (so trials are not packed onto fewer cores than they asked for)
     * and one asking for G GPUs holds G of the executor's GPU addresses, which no other task gets while
     * it runs. The resources are the sweep's (one {@code resources:} section), so the default profile
     * carries them; executors take GPUs from their Worker only when a trial asks for them.
     */
    private static void requestResources(SparkConf conf, List<LaunchTrial> trials, int executorGpus) {
        int cpus = trials.stream().mapToInt(t -> t.resources().cpus()).max().orElse(0);
        int gpus = trials.stream().mapToInt(t -> t.resources().gpus()).max().orElse(0);
        if (cpus > 0) {
            conf.set("spark.task.cpus", Integer.toString(cpus));
        }
        if (gpus > 0) {
            conf.set("spark.task.resource.gpu.amount", Integer.toString(gpus))
                    .set("spark.executor.resource.gpu.amount", Integer.toString(Math.max(gpus, executorGpus)));
        }
    }

    private void runAll(List<LaunchTrial> trials) throws InterruptedException {
        Semaphore slots = new Semaphore(context.parallelism());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (LaunchTrial trial : trials) {
            slots.acquire();
            if (context.cancellation().isCancelled() || !context.starting(trial)) {
                slots.release();
                break;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread submitter = new Thread(() -> {
                try {
                    context.ended(trial, runJob(trial));
                } catch (RuntimeException e) {
                    context.ended(trial, stopped().orElse(TrialEnd.failed("the Spark launcher failed: " + e, "")));
                } finally {
                    slots.release();
                    done.complete(null);
                }
            }, "trial-spark-" + trial.id());
            submitter.setDaemon(true);
            running.add(done);
            submitter.start();
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    private TrialEnd runJob(LaunchTrial trial) {
        TrialCommand command = context.command(trial)
                .withJvmOptions(TrialProcess.jvmOptions(trial.resources(), options.getString("jvm_options")))
                .withEnvironment(TrialProcess.environment(trial.resources(), List.of()));
        // on a cluster the child sees exactly the GPUs its task was assigned (none when it asked for none)
        TrialTask.Input input = TrialTask.Input.of(trial.id(), command, options.getInt("output_lines"), !spark.isLocal(),
                options.getString("results").equals(SparkLauncher.RETURNED) ? returned(command) : null,
                options.getBoolean("class_archive"));
        // the group is a property of this thread's jobs; interruptOnCancel lets a cancel kill the child
        spark.setJobGroup(trial.id(), trial.name(), true);
        JavaFutureAction<List<TrialTask.Result>> job = spark.parallelize(List.of(input), 1).map(new TrialTask()).collectAsync();
        TrialDeadline deadline = TrialDeadline.launchedNow(context, trial);
        while (true) {
            try {
                return ended(trial, job.get(POLL_MS, TimeUnit.MILLISECONDS).get(0));
            } catch (TimeoutException stillRunning) {
                if (context.cancellation().isCancelled()) {
                    cancel(trial, job);
                    return TrialEnd.interrupted(context.cancellation().reason());
                }
                if (deadline.passed()) {
                    cancel(trial, job);
                    String after = format(context.trialTimeout().orElseThrow());
                    LOG.warn("trial {} timed out after {}; cancelled its Spark job group", trial.id(), after);
                    return TrialEnd.failed("timed out after " + after, "");
                }
            } catch (ExecutionException e) {
                java.util.Optional<TrialEnd> stopped = stopped();
                if (stopped.isPresent()) {
                    return stopped.get();
                }
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return TrialEnd.failed("the trial's Spark job failed: " + firstLine(cause.getMessage()), stackTrace(cause));
            } catch (InterruptedException e) {
                cancel(trial, job);
                Thread.currentThread().interrupt();
                return TrialEnd.interrupted("interrupted: the launcher was stopped");
            }
        }
    }

    /**
     * A job that failed because the sweep is stopping is INTERRUPTED (resume runs it again), not
     * FAILED: Ctrl-C, or Spark's own shutdown hook having stopped the context first.
     */
    private java.util.Optional<TrialEnd> stopped() {
        if (context.cancellation().isCancelled()) {
            return java.util.Optional.of(TrialEnd.interrupted(context.cancellation().reason()));
        }
        if (spark.sc().isStopped()) {
            return java.util.Optional.of(TrialEnd.interrupted("interrupted: the Spark context was stopped"));
        }
        return java.util.Optional.empty();
    }

    /** Cancels the trial's job group and waits (up to the cancel grace) for its task to have killed the child. */
    private void cancel(LaunchTrial trial, JavaFutureAction<?> job) {
        try {
            spark.cancelJobGroup(trial.id());
        } catch (IllegalStateException stopped) {
            return; // the context is stopped (JVM shutting down): its jobs are gone with it
        }
        try {
            job.get(context.cancelGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException gone) {
            // cancelled (the usual end), or not gone within the grace: the engine records the end either way
        }
    }

    /**
     * The end of the attempt the job returned. A returned folder is unpacked into the staging folder
     * first (whole or not at all), where the engine commits it as it commits one written there.
     */
    private TrialEnd ended(LaunchTrial trial, TrialTask.Result result) {
        if (result.folder() != null) {
            Path staged = context.experimentDir().resolve(TrialCommand.STAGING).resolve(trial.id()).resolve(result.attempt());
            try {
                AttemptBytes.unpack(result.folder(), staged);
            } catch (IOException | RuntimeException e) {
                // the executor's copy is gone: keep the bytes beside the archived attempts, as a zip
                Path kept = AttemptBytes.keep(result.folder(), context.experimentDir().resolve(TrialCommand.ATTEMPTS),
                        trial.id() + "." + result.attempt() + ".returned");
                String where = kept != null ? "; its bytes are kept in " + kept : "; its bytes could not be kept either";
                LOG.error("trial {}: cannot unpack the folder its task returned into {}: {}{}", trial.id(), staged, e, where);
                return TrialEnd.failed("cannot unpack the folder of attempt " + result.attempt() + " returned by its task: "
                        + e.getMessage() + where, "").ofAttempt(result.attempt());
            }
        }
        return endOf(result).ofAttempt(result.attempt());
    }

    private static TrialEnd endOf(TrialTask.Result result) {
        if (result.exitCode() == 0 || result.exitCode() == TrialCommand.ALREADY_COMMITTED) {
            return TrialEnd.recorded(); // already committed: the engine keeps the commit and archives nothing new
        }
        if (result.exitCode() < 0) {
            return TrialEnd.failed(result.output(), "");
        }
        // a task that threw exits 1 after recording its own end: the engine prefers that record
        return TrialEnd.failed(TrialProcess.exitReason(result.exitCode()), result.output());
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter out = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
