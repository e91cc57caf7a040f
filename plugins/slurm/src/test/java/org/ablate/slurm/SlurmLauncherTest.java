package org.ablate.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slurm launcher on a real single-node cluster (bin/slurm-cluster), through the real CLI. */
class SlurmLauncherTest {

    /** Six quick trials of the example plugin's task: the estimates depend on each trial's seed. */
    private static final String QUICK = """
            name: pi
            task: monte-carlo-pi
            params: {samples: 20000, first_checkpoint: 1000}
            sweep: {grid: {sampler: [uniform, antithetic, halton]}}
            seeds: [3, 11]
            """;
    /**
     * The sweep a fault test disturbs mid-trial: trials of a few seconds each on this machine (see
     * {@link #samplesLasting}), long past the first flush of their metrics (1 s), so that the test sees
     * them running with the larger part still ahead. A fixed count was 0.6 s on a fast idle core and
     * ended before anything could be seen; halton is left out, being ten times slower than these two.
     */
    private static final String LONG = """
            name: pi
            task: monte-carlo-pi
            params: {samples: SAMPLES, first_checkpoint: 1000}
            sweep: {grid: {sampler: [uniform, antithetic]}}
            seeds: [3]
            """;
    /** One line per attempt that the batch script prints into the task's output. */
    private static final Pattern ATTEMPT = Pattern.compile(
            "ablate: trial ([0-9a-f]{12}), task ([0-9]+)_([0-9]+), restart ([0-9]+), node \\S+, CUDA_VISIBLE_DEVICES=(\\S*)");

    @TempDir
    Path tmp;
    SlurmCluster cluster;

    @BeforeEach
    void cluster() {
        cluster = SlurmCluster.require();
    }

    @Test
    void aQuickSweepThroughSlurmRecordsTheSameTrialsAndSummariesAsInProcess() throws Exception {
        Path file = write("pi", QUICK);
        long t0 = System.nanoTime();
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report");
        long t1 = System.nanoTime();
        assertEquals(0, threads.code(), threads.toString());
        InProcessCli.Result slurm = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                "--no-report", "--launcher", "slurm");
        long t2 = System.nanoTime();
        assertEquals(0, slurm.code(), slurm.toString());
        System.out.printf("6-trial sweep: in-process %d ms, slurm (one array, 2 CPUs) %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                slurm.summaryLine("pi").replaceAll(" -> .*", ""));
        assertEquals(recorded(tmp.resolve("a")), recorded(tmp.resolve("b")),
                "same trial ids, states, seeds, parameters, summaries and metrics");
        assertEquals("slurm", Json.readMap(tmp.resolve("b/pi/sweep.json")).get("launcher"));
        // the batch script is kept beside the trials, readable and resubmittable
        List<Path> scripts = files(tmp.resolve("b/pi/slurm"), ".sbatch");
        assertEquals(1, scripts.size());
        String script = Files.readString(scripts.get(0));
        assertTrue(script.contains("#SBATCH --array=0-5\n"), script);
        assertTrue(script.contains(" run-trial "), script);
        assertEquals(6, attempts(tmp.resolve("b/pi")).size(), "one attempt per trial");
    }

    @Test
    void twoConcurrentOneGpuTrialsGetDifferentCudaVisibleDevices() throws Exception {
        Path file = write("gpu", """
                name: gpu
                task: monte-carlo-pi
                params: {samples: 100000000, first_checkpoint: 1000}
                seeds: [1, 2]
                resources: {gpus: 1}
                """);
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "slurm");
        assertEquals(0, r.code(), r.toString());
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "gpu");
        assertEquals(2, trials.size());
        // they ran at the same time ...
        Instant s0 = Instant.parse((String) trials.get(0).config().get("started_at"));
        Instant e0 = Instant.parse((String) trials.get(0).config().get("ended_at"));
        Instant s1 = Instant.parse((String) trials.get(1).config().get("started_at"));
        Instant e1 = Instant.parse((String) trials.get(1).config().get("ended_at"));
        assertTrue(s0.isBefore(e1) && s1.isBefore(e0), "the two trials did not overlap: " + s0 + "-" + e0 + ", " + s1 + "-" + e1);
        // ... each on its own (fake) GPU
        Set<String> devices = new TreeSet<>();
        for (Matcher m : attempts(tmp.resolve("results/gpu"))) {
            devices.add(m.group(5));
        }
        assertEquals(Set.of("0", "1"), devices);
        assertTrue(Files.readString(files(tmp.resolve("results/gpu/slurm"), ".sbatch").get(0)).contains("#SBATCH --gres=gpu:1\n"));
    }

    @Test
    void scancelOfOneTaskMidTrialFailsThatTrialWithSlurmsReasonAndTheOthersFinish() throws Exception {
        Path file = write("slow", """
                name: slow
                task: monte-carlo-pi
                params: {first_checkpoint: 1000}
                sweep: {grid: {samples: [20000, 1000000000000, 30000]}}
                """);
        Path results = tmp.resolve("results");
        AtomicReference<String> cancelled = new AtomicReference<>();
        Thread canceller = new Thread(() -> {
            try {
                while (cancelled.get() == null) {
                    for (TrialFolder t : trialsOrNone(results, "slow")) {
                        if (runningWithMetrics(t) && ((Number) TrialRecords.param(t, "samples")).longValue() > 1e9) {
                            Matcher task = attemptOf(results.resolve("slow"), t.id());
                            SlurmCluster.run("scancel", task.group(2) + "_" + task.group(3));
                            cancelled.set(t.id());
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException done) {
                // the sweep is over
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        canceller.setDaemon(true);
        canceller.start();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm");
        canceller.interrupt();
        canceller.join(5000);
        assertNotNull(cancelled.get(), "the long trial was never cancelled: " + r);
        assertEquals(1, r.code(), r.toString());
        int finished = 0;
        for (TrialFolder t : TrialRecords.trials(results, "slow")) {
            TrialStatus status = t.status().orElseThrow();
            if (t.id().equals(cancelled.get())) {
                assertEquals(TrialState.FAILED, status.state(), status.toString());
                assertTrue(status.reason().startsWith("Slurm: the task was cancelled (CANCELLED"), status.reason());
            } else {
                assertEquals(TrialState.FINISHED, status.state(), status.toString());
                finished++;
            }
        }
        assertEquals(2, finished);
    }

    @Test
    void killingSlurmdMidArrayAndRestartingItCompletesTheSweepWithEveryTrialFinishedOnce() throws Exception {
        Path file = write("pi", LONG.replace("SAMPLES", Long.toString(samplesLasting(6))));
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report");
        assertEquals(0, threads.code(), threads.toString());
        Path results = tmp.resolve("b");
        AtomicReference<String> killedDuring = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                while (killedDuring.get() == null) {
                    for (TrialFolder t : trialsOrNone(results, "pi")) {
                        if (killedDuring.get() == null && runningWithMetrics(t)) {
                            cluster.killSlurmd();
                            killedDuring.set(t.id());
                        }
                    }
                    Thread.sleep(50);
                }
                Thread.sleep(2000);
                cluster.startSlurmd();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        killer.setDaemon(true);
        killer.start();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm");
        killer.join(60_000);
        assertEquals(null, failure.get());
        assertNotNull(killedDuring.get(), "slurmd was not killed mid-trial: " + r);
        assertEquals(0, r.code(), r.toString());
        assertEquals("pi: 2 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                r.summaryLine("pi").replaceAll(" -> .*", ""));
        // every trial FINISHED with the records of an undisturbed run, from one attempt each
        assertEquals(recorded(tmp.resolve("a")), recorded(results));
        List<String> ran = attempts(results.resolve("pi")).stream().map(m -> m.group(1)).sorted().toList();
        assertEquals(ran.stream().distinct().toList(), ran, "a trial ran twice");
        assertEquals(2, ran.size());
        assertFalse(Files.exists(results.resolve("pi/.attempts")), "no attempt was moved aside");
    }

    @Test
    void aRequeuedTaskRunsItsTrialAgainAndOnlyItsLastAttemptIsCommitted() throws Exception {
        long samples = samplesLasting(6);
        Path file = write("pi", LONG.replace("SAMPLES", Long.toString(samples)));
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report");
        assertEquals(0, threads.code(), threads.toString());
        Path results = tmp.resolve("b");
        AtomicReference<String> requeued = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread requeuer = new Thread(() -> {
            try {
                while (requeued.get() == null) {
                    for (TrialFolder t : trialsOrNone(results, "pi")) {
                        // in the trial's first half, so the requeue cannot land after its first attempt already ended
                        if (requeued.get() == null && runningWithMetrics(t) && lastStep(t) <= samples / 2) {
                            Matcher task = attemptOf(results.resolve("pi"), t.id());
                            String key = task.group(2) + "_" + task.group(3);
                            SlurmCluster.run("scontrol", "requeue", key);
                            requeued.set(t.id());
                            // a requeued job waits before it is eligible again: release it now
                            for (int i = 0; i < 100 && attempts(results.resolve("pi")).stream()
                                    .noneMatch(m -> m.group(1).equals(t.id()) && m.group(4).equals("1")); i++) {
                                Thread.sleep(300);
                                try {
                                    SlurmCluster.run("scontrol", "update", "jobid=" + key, "StartTime=now");
                                } catch (IllegalStateException notPendingYet) {
                                    // still completing its first attempt
                                }
                            }
                        }
                    }
                    Thread.sleep(50);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        requeuer.setDaemon(true);
        requeuer.start();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm");
        requeuer.join(60_000);
        assertEquals(null, failure.get());
        assertNotNull(requeued.get(), "no task was requeued mid-trial: " + r);
        assertEquals(0, r.code(), r.toString());
        assertEquals(recorded(tmp.resolve("a")), recorded(results), "every trial FINISHED with undisturbed records");
        // the requeued trial ran twice (restart 0 and 1); its first attempt was archived, not committed
        List<String> restarts = attempts(results.resolve("pi")).stream().filter(m -> m.group(1).equals(requeued.get()))
                .map(m -> m.group(4)).toList();
        assertEquals(List.of("0", "1"), restarts);
        try (Stream<Path> archived = Files.list(results.resolve("pi/.attempts"))) {
            List<String> names = archived.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).startsWith(requeued.get() + "."), names.toString());
        }
        assertFalse(Files.exists(results.resolve("pi/.staging/" + requeued.get())), "an attempt was left staged");
    }

    @Test
    void aTaskPastItsSlurmTimeLimitIsRecordedFailedWithTimeLimit() throws Exception {
        Path file = write("hours", """
                name: hours
                task: monte-carlo-pi
                params: {samples: 1000000000000, first_checkpoint: 1000}
                """);
        long t0 = System.nanoTime();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "slurm", "launcher.time_limit=1:00");
        System.out.printf("a 1-minute Slurm time limit ended the trial after %d s%n", (System.nanoTime() - t0) / 1_000_000_000);
        assertEquals(1, r.code(), r.toString());
        TrialFolder t = TrialRecords.trials(tmp.resolve("results"), "hours").get(0);
        TrialStatus status = t.status().orElseThrow();
        assertEquals(TrialState.FAILED, status.state());
        assertTrue(status.reason().startsWith("Slurm: time limit exceeded (TIMEOUT, limit 1:00)"), status.reason());
        assertTrue(Files.readString(files(tmp.resolve("results/hours/slurm"), ".sbatch").get(0)).contains("#SBATCH --time=1:00\n"));
    }

    @Test
    void aTrialPastTheSweepsTimeoutIsCancelledAndRecordedFailedWhileTheOtherFinishes() throws Exception {
        Path file = write("slow", """
                name: slow
                task: monte-carlo-pi
                params: {first_checkpoint: 1000}
                sweep: {grid: {samples: [20000, 1000000000000]}}
                """);
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "slurm", "--trial-timeout", "12s");
        assertEquals(1, r.code(), r.toString());
        for (TrialFolder t : TrialRecords.trials(tmp.resolve("results"), "slow")) {
            TrialStatus status = t.status().orElseThrow();
            if (((Number) TrialRecords.param(t, "samples")).longValue() > 1e9) {
                assertEquals(TrialState.FAILED, status.state());
                assertEquals("timed out after 12.0s", status.reason());
                // counted from the trial's own start, not from the submission or the JVM's start-up
                assertTrue(((Number) t.config().get("duration_s")).doubleValue() >= 11.9, t.config().toString());
            } else {
                assertEquals(TrialState.FINISHED, status.state());
            }
        }
        // the batch script's time limit defaults from the timeout: 12 s + a minute for start-up, in whole minutes
        assertTrue(Files.readString(files(tmp.resolve("results/slow/slurm"), ".sbatch").get(0)).contains("#SBATCH --time=2\n"));
    }

    @Test
    void ctrlCCancelsTheArrayAndRecordsItsTrialsInterrupted() throws Exception {
        write("hours", """
                name: hours
                task: monte-carlo-pi
                params: {samples: 1000000000000, first_checkpoint: 1000}
                seeds: [1, 2]
                """);
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "hours.yaml", "--no-report", "--launcher", "slurm");
        Path results = tmp.resolve("results");
        for (int i = 0; i < 1200 && run.isAlive(); i++) {
            if (trialsOrNone(results, "hours").stream().filter(SlurmLauncherTest::runningWithMetrics).count() == 2) {
                break;
            }
            Thread.sleep(100);
        }
        String job = submittedJob(results.resolve("hours"));
        assertNotNull(job, Files.readString(tmp.resolve("run.log")));
        assertEquals(2, SlurmCluster.activeTasks(job).size(), Files.readString(tmp.resolve("run.log")));

        CliProcess.signal(run, "INT");

        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(130, run.exitValue(), log);
        assertEquals(List.of(), SlurmCluster.activeTasks(job), "the array was not cancelled");
        List<TrialFolder> trials = TrialRecords.trials(results, "hours");
        assertEquals(2, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.INTERRUPTED, t.status().orElseThrow().state(), log);
        }
    }

    @Test
    void detachSubmitsAndExitsStatusShowsTheQueueAndRunAgainAttachesWithoutResubmitting() throws Exception {
        // one task at a time, so that some are still queued when status and the second run look; trials of a
        // second or more (not the slower halton sampler), so that the second can be caught (and suspended) mid-trial
        long samples = samplesLasting(4);
        Path file = threeTrialsRunInProcess(samples);
        Path results = tmp.resolve("b");
        Path experiment = results.resolve("pi");
        long t0 = System.nanoTime();
        InProcessCli.Result detached = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm", "launcher.throttle=1", "--detach");
        long submitMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, detached.code(), detached.toString());
        Path log = experiment.resolve("sweep.log");
        assertTrue(Files.readString(log).contains("detached: 3 trial(s) in Slurm's queue"), Files.readString(log));
        String job = submittedJob(experiment);
        assertNotNull(job);
        assertFalse(SlurmCluster.activeTasks(job).isEmpty(), "nothing left in the queue after the detached run");
        // while its tasks are queued (some not started, so nothing staged for them), a run on another launcher is refused
        InProcessCli.Result early = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report");
        assertEquals(4, early.code(), early.toString());
        assertTrue(early.err().contains("experiment 'pi': launcher 'slurm' still "), early.err());
        assertTrue(early.err().contains("; attach with --launcher slurm, or cancel them before running on launcher 'in-process'"),
                early.err());

        // the first task has ended (its attempt staged, nobody attached to commit it), the second runs: hold it there
        List<String> order = List.of(Files.readAllLines(experiment.resolve("slurm/jobs.tsv")).get(0).split("\t")[2].split(","));
        org.ablate.store.ExperimentFolder folder = new org.ablate.store.ResultsStore(results).experiment("pi");
        TrialFolder first = folder.staged(order.get(0), job + "_0.0");
        TrialFolder second = folder.staged(order.get(1), job + "_1.0");
        for (int i = 0; i < 2400 && !(first.isFinished() && runningWithMetrics(second) && lastStep(second) <= samples / 2); i++) {
            Thread.sleep(50);
        }
        assertTrue(first.isFinished() && runningWithMetrics(second), "task 0 never finished while task 1 ran");
        SlurmCluster.run("scontrol", "suspend", job + "_1");

        InProcessCli.Result status = InProcessCli.run("status", file.toString(), "--results-dir", results.toString());
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("slurm job " + job + " (array-"), status.out());
        assertTrue(status.out().contains(" of 3 task(s); `ablate run` attaches"), status.out());
        // a trial staged by a detached task is shown from its attempt, never as missing
        assertTrue(Pattern.compile(order.get(0) + " .* FINISHED \\(staged\\) ").matcher(status.out()).find(), status.out());
        assertTrue(Pattern.compile(order.get(1) + " .* RUNNING \\(staged\\) ").matcher(status.out()).find(), status.out());
        assertTrue(status.out().contains(", 1 FINISHED (staged)"), status.out());
        assertTrue(status.out().contains("\n1 trial(s) FINISHED in .staging/ but not yet committed: the next `ablate run`"
                + " commits them"), status.out());

        // a run on another launcher (here: --launcher forgotten) would take the running attempt for a leftover and
        // run the trial again: it is refused, before anything is written, and nothing is moved
        InProcessCli.Result elsewhere = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(), "--no-report");
        assertEquals(4, elsewhere.code(), elsewhere.toString());
        System.out.print("a run on another launcher meanwhile: " + elsewhere.err());
        assertTrue(elsewhere.err().contains("experiment 'pi': launcher 'slurm' still runs "), elsewhere.err());
        assertTrue(elsewhere.err().contains("attach with --launcher slurm, or cancel them before running on launcher 'in-process'"),
                elsewhere.err());
        assertEquals(1, elsewhere.err().strip().lines().count(), elsewhere.err());
        assertTrue(first.isFinished() && second.exists() && runningWithMetrics(second), "the refused run moved a staged attempt");
        assertFalse(Files.exists(experiment.resolve(".attempts")), "the refused run archived an attempt");

        // the sweep that attaches starts while task 1 still runs: its attempt stays staged and is followed to its end
        AtomicReference<InProcessCli.Result> attached = new AtomicReference<>();
        Thread attach = new Thread(() -> attached.set(InProcessCli.run("run", file.toString(), "--results-dir",
                results.toString(), "--no-report", "--launcher", "slurm")));
        attach.start();
        // (task 2 may have started too, while task 1 is suspended)
        Pattern left = Pattern.compile("left [12] trial\\(s\\) staged in \\.staging/: launcher 'slurm' still has their"
                + " tasks queued or running: .*" + order.get(1));
        for (int i = 0; i < 1200 && attach.isAlive() && !left.matcher(Files.readString(log)).find(); i++) {
            Thread.sleep(100);
        }
        assertTrue(left.matcher(Files.readString(log)).find(), Files.readString(log));
        assertTrue(second.exists() && runningWithMetrics(second), "the running task's attempt was moved");
        SlurmCluster.run("scontrol", "resume", job + "_1");
        attach.join(300_000);
        assertNotNull(attached.get(), "the attached run did not end");
        assertEquals(0, attached.get().code(), attached.get().toString());
        System.out.printf("detached submission of 3 trials: %d ms; to the attached run's end: %d ms%n", submitMillis,
                (System.nanoTime() - t0) / 1_000_000 - submitMillis);
        String sweepLog = Files.readString(log);
        assertTrue(sweepLog.contains("committed 1 trial(s) whose attempt had finished in .staging/ with no sweep attached: "
                + order.get(0)), sweepLog);
        assertTrue(sweepLog.contains("trial " + order.get(1) + " is still in Slurm's queue as task " + job + "_1"), sweepLog);
        assertEquals("pi: 2 finished, 0 failed, 0 interrupted, 1 skipped (already finished)",
                attached.get().summaryLine("pi").replaceAll(" -> .*", ""));
        // nothing was submitted again: one script, one job, one attempt per trial, each committed, none archived
        assertEquals(1, files(experiment.resolve("slurm"), ".sbatch").size());
        assertEquals(1, Files.readAllLines(experiment.resolve("slurm/jobs.tsv")).size());
        List<String> ran = attempts(experiment).stream().map(m -> m.group(1)).sorted().toList();
        assertEquals(3, ran.size(), ran.toString());
        assertEquals(3, ran.stream().distinct().count(), "a trial ran twice: " + ran);
        assertFalse(Files.exists(experiment.resolve(".attempts")), "an attempt was archived");
        assertEquals(List.of(), folder.stagedTrials(), "an attempt was left staged");
        assertEquals(recorded(tmp.resolve("a")), recorded(results));
    }

    @Test
    void withSqueueUnansweredARunAttachesToAnEarlierSubmissionInsteadOfSubmittingItsTrialsAgain() throws Exception {
        Path file = threeTrialsRunInProcess(samplesLasting(3));
        Path results = tmp.resolve("b");
        Path experiment = results.resolve("pi");
        InProcessCli.Result detached = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm", "launcher.throttle=1", "--detach");
        assertEquals(0, detached.code(), detached.toString());
        String job = submittedJob(experiment);
        assertNotNull(job);

        // Slurm's own sbatch, scancel and scontrol, and an squeue that fails as it does without a controller
        Path bin = Files.createDirectories(tmp.resolve("no-squeue"));
        for (String tool : List.of("sbatch", "scancel", "scontrol")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(SlurmCluster.run("sh", "-c", "command -v " + tool).strip()));
        }
        Path squeue = Files.writeString(bin.resolve("squeue"), "#!/bin/sh\necho 'squeue: error: slurm_load_jobs error:"
                + " Unable to contact slurm controller (connect failure)' >&2\nexit 1\n");
        assertTrue(squeue.toFile().setExecutable(true));
        assertFalse(SlurmCluster.activeTasks(job).isEmpty(), "the array ended before the run without squeue");
        Process again = CliProcess.start(tmp, tmp.resolve("again.log"), Map.of("PATH", bin.toString()),
                "run", "pi.yaml", "--results-dir", results.toString(), "--no-report", "--launcher", "slurm", "--detach");
        assertTrue(again.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("again.log"));
        assertEquals(0, again.exitValue(), log);
        assertEquals(1, files(experiment.resolve("slurm"), ".sbatch").size(), "submitted again without knowing the queue: " + log);
        assertTrue(log.contains("cannot ask squeue about the earlier submissions") && log.contains("attaching to every trial of jobs "
                + job + " instead of submitting it again"), log);

        // attached, a watch whose squeue keeps failing leaves the open trials to Slurm, detached, rather than ending them
        Process watching = CliProcess.start(tmp, tmp.resolve("watching.log"), Map.of("PATH", bin.toString()),
                "run", "pi.yaml", "--results-dir", results.toString(), "--no-report", "--launcher", "slurm",
                "launcher.squeue_patience_s=2");
        assertTrue(watching.waitFor(120, TimeUnit.SECONDS));
        String watched = Files.readString(tmp.resolve("watching.log"));
        assertEquals(0, watching.exitValue(), watched);
        assertTrue(Pattern.compile("squeue has failed for 2\\.0s \\(.*\\): leaving [123] trial\\(s\\) to Slurm, detached")
                .matcher(watched).find(), watched);
        assertEquals(1, files(experiment.resolve("slurm"), ".sbatch").size(), watched);

        // once the queue answers again, a run commits what the one array ran: each trial once
        for (int i = 0; i < 1200 && !SlurmCluster.activeTasks(job).isEmpty(); i++) {
            Thread.sleep(100);
        }
        InProcessCli.Result attached = InProcessCli.run("run", file.toString(), "--results-dir", results.toString(),
                "--no-report", "--launcher", "slurm");
        assertEquals(0, attached.code(), attached.toString());
        assertEquals(1, files(experiment.resolve("slurm"), ".sbatch").size());
        List<String> ran = attempts(experiment).stream().map(m -> m.group(1)).sorted().toList();
        assertEquals(3, ran.size(), ran.toString());
        assertEquals(3, ran.stream().distinct().count(), "a trial ran twice: " + ran);
        assertFalse(Files.exists(experiment.resolve(".attempts")), "an attempt was archived");
        assertEquals(recorded(tmp.resolve("a")), recorded(results));
    }

    @Test
    void anUnknownPartitionOrABadOptionIsRefusedOnOneLineWithSlurmsMessageAndExit2() throws Exception {
        Path file = write("pi", QUICK);
        String results = tmp.resolve("results").toString();
        InProcessCli.Result partition = InProcessCli.run("run", file.toString(), "--results-dir", results,
                "--launcher", "slurm", "launcher.partition=nosuchpartition");
        assertEquals(2, partition.code(), partition.toString());
        assertEquals(1, partition.err().strip().lines().count(), partition.err());
        assertTrue(partition.err().contains("sbatch refused the launcher's options or resources: sbatch: error:"
                + " invalid partition specified: nosuchpartition"), partition.err());

        InProcessCli.Result time = InProcessCli.run("run", file.toString(), "--results-dir", results,
                "--launcher", "slurm", "launcher.time_limit=soon");
        assertEquals(2, time.code(), time.toString());
        assertEquals(1, time.err().strip().lines().count(), time.err());
        assertTrue(time.err().contains("launcher.time_limit: 'soon' is not a Slurm time (accepted: MM,"), time.err());

        // a whole number is minutes, as Slurm reads it, in the file and on the command line (sbatch --test-only accepts it)
        Path minutes = write("minutes", QUICK.replace("name: pi", "name: minutes") + "launcher: {name: slurm, time_limit: 90}\n");
        InProcessCli.Result inFile = InProcessCli.run("run", minutes.toString(), "--results-dir", results, "--dry-run");
        assertEquals(0, inFile.code(), inFile.toString());
        InProcessCli.Result onLine = InProcessCli.run("run", file.toString(), "--results-dir", results, "--dry-run",
                "--launcher", "slurm", "launcher.time_limit=90");
        assertEquals(0, onLine.code(), onLine.toString());

        InProcessCli.Result extra = InProcessCli.run("run", file.toString(), "--results-dir", results,
                "--launcher", "slurm", "launcher.sbatch_args=[--no-such-option]");
        assertEquals(2, extra.code(), extra.toString());
        assertEquals(1, extra.err().strip().lines().count(), extra.err());
        assertTrue(extra.err().contains("sbatch refused the launcher's options or resources: sbatch: unrecognized option"),
                extra.err());

        InProcessCli.Result unknown = InProcessCli.run("run", file.toString(), "--results-dir", results,
                "--launcher", "slurm", "launcher.partiton=debug");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("partiton") && unknown.err().contains("partition"), unknown.err());
        assertFalse(Files.exists(tmp.resolve("results")), "nothing may be written");
    }

    @Test
    void sbatchMissingOnPathIsOneLineWithExit2() throws Exception {
        write("pi", QUICK);
        Path empty = Files.createDirectories(tmp.resolve("empty-path"));
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), Map.of("PATH", empty.toString()),
                "run", "pi.yaml", "--launcher", "slurm");
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log")).strip();
        assertEquals(2, run.exitValue(), log);
        assertEquals(1, log.lines().count(), log);
        assertTrue(log.contains("sbatch not found on PATH"), log);
        assertFalse(Files.exists(tmp.resolve("results")), "nothing may be written");
    }

    // --- helpers

    /** The job id of the experiment's (first) submitted array, from the launcher's record. */
    private static String submittedJob(Path experiment) throws IOException {
        Path jobs = experiment.resolve(ArraySweep.FOLDER).resolve(SubmittedJobs.FILE);
        return Files.isRegularFile(jobs) ? Files.readAllLines(jobs).get(0).split("\t")[0] : null;
    }

    /**
     * Samples that keep one uniform monte-carlo-pi trial busy for about {@code seconds} on this
     * machine as loaded now: one calibration trial in-process, from its own samples_per_s.
     */
    private long samplesLasting(double seconds) throws IOException {
        Path file = write("calibrate", "name: calibrate\ntask: monte-carlo-pi\nparams: {samples: 30000000, sampler: uniform}\n"
                + "seeds: [1]\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("calibrate").toString(),
                "--no-report");
        assertEquals(0, r.code(), r.toString());
        double perSecond = ((Number) TrialRecords.trials(tmp.resolve("calibrate"), "calibrate").get(0).summary()
                .get("samples_per_s")).doubleValue();
        long samples = Math.max(100_000_000L, Math.min(20_000_000_000L, (long) (perSecond * seconds)));
        System.out.printf("calibration: %.3g samples/s, so %d samples for about %.0f s a trial%n", perSecond, samples, seconds);
        return samples;
    }

    /** pi.yaml with three seeds of {@code samples} each, and its in-process results in tmp/a to compare with. */
    private Path threeTrialsRunInProcess(long samples) throws IOException {
        Path file = write("pi", "name: pi\ntask: monte-carlo-pi\nparams: {samples: " + samples + ", first_checkpoint: 1000}\n"
                + "seeds: [3, 11, 5]\n");
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report");
        assertEquals(0, threads.code(), threads.toString());
        return file;
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** The attempt lines of every task's output in the experiment's slurm folder. */
    private static List<Matcher> attempts(Path experiment) throws IOException {
        List<Matcher> out = new ArrayList<>();
        for (Path f : files(experiment.resolve(ArraySweep.FOLDER), ".out")) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                Matcher m = ATTEMPT.matcher(line);
                if (m.find()) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static Matcher attemptOf(Path experiment, String trial) throws IOException {
        return attempts(experiment).stream().filter(m -> m.group(1).equals(trial)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no task output names trial " + trial));
    }

    /** The trials' folders and the attempts staged while they run ({@code .staging/<id>/<attempt>/}). */
    private static List<TrialFolder> trialsOrNone(Path results, String experiment) {
        try {
            if (!Files.isDirectory(results.resolve(experiment))) {
                return List.of();
            }
            List<TrialFolder> out = new ArrayList<>(TrialRecords.trials(results, experiment));
            org.ablate.store.ExperimentFolder folder = new org.ablate.store.ResultsStore(results).experiment(experiment);
            for (String id : folder.stagedTrials()) {
                out.addAll(folder.stagedAttempts(id));
            }
            return out;
        } catch (IOException | RuntimeException notYet) {
            return List.of();
        }
    }

    /** The highest step in the trial's metrics so far, or Long.MAX_VALUE when they cannot be read yet. */
    private static long lastStep(TrialFolder t) {
        try {
            return TrialRecords.metricRecords(t).stream().mapToLong(r -> ((Number) r.get("step")).longValue()).max()
                    .orElse(Long.MAX_VALUE);
        } catch (IOException | RuntimeException notYet) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean runningWithMetrics(TrialFolder t) {
        try {
            return t.status().map(st -> st.state() == TrialState.RUNNING).orElse(false)
                    && !TrialRecords.metricRecords(t).isEmpty();
        } catch (IOException | RuntimeException notYet) {
            return false;
        }
    }

    /** Per trial: state, seed, params, summary and the metric points without their timestamps. */
    private static Map<String, Object> recorded(Path results) throws IOException {
        return TrialRecords.results(results, "pi", "samples_per_s"); // samples_per_s: a timing, not a result
    }
}
