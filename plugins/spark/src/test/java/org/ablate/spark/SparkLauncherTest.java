package org.ablate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark launcher on a real embedded Spark (local[2]), through the real CLI. */
class SparkLauncherTest {

    /** Six quick trials of the example plugin's task: the estimates depend on each trial's seed. */
    private static final String QUICK = """
            name: pi
            task: monte-carlo-pi
            params: {samples: 20000, first_checkpoint: 1000}
            sweep: {grid: {sampler: [uniform, antithetic, halton]}}
            seeds: [3, 11]
            """;

    @TempDir
    Path tmp;

    @Test
    void aLocalSweepRecordsTheSameTrialsAndSummariesAsInProcess() throws Exception {
        Path file = write("pi", QUICK);
        long t0 = System.nanoTime();
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report", "-j", "2");
        long t1 = System.nanoTime();
        assertEquals(0, threads.code(), threads.toString());
        InProcessCli.Result spark = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=local[2]");
        long t2 = System.nanoTime();
        assertEquals(0, spark.code(), spark.toString());
        System.out.printf("6-trial sweep, -j 2: in-process %d ms, spark local[2] %d ms%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);

        Map<String, Object> inProcess = recorded(tmp.resolve("a"));
        Map<String, Object> onSpark = recorded(tmp.resolve("b"));
        assertEquals(6, onSpark.size());
        assertEquals(inProcess, onSpark, "same trial ids, states, seeds, parameters, summaries and metrics");
        assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                spark.summaryLine("pi").replaceAll(" -> .*", ""));
        assertEquals("spark", Json.readMap(tmp.resolve("b/pi/sweep.json")).get("launcher"));
    }

    @Test
    void withReturnedResultsTheChildWritesOutsideTheResultsFolderAndTheSameTrialsAndSummariesAreCommitted() throws Exception {
        Path file = write("pi", QUICK);
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report", "-j", "2");
        assertEquals(0, threads.code(), threads.toString());
        InProcessCli.Result spark = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=local[2]", "launcher.results=returned");
        assertEquals(0, spark.code(), spark.toString());
        assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                spark.summaryLine("pi").replaceAll(" -> .*", ""));
        assertEquals(recorded(tmp.resolve("a")), recorded(tmp.resolve("b")),
                "same trial ids, states, seeds, parameters, summaries and metrics");
        assertNothingStaged(tmp.resolve("b/pi"));

        // where the child wrote its trial's folder: a temporary folder of the executor's, gone once the task returned
        Path records = Files.createDirectories(tmp.resolve("records"));
        Path probe = write("where", probe("where", records, 0, "{cpus: 1}", 2));
        InProcessCli.Result r = InProcessCli.run("run", probe.toString(), "--results-dir", tmp.resolve("c").toString(),
                "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=local[2]", "launcher.results=returned");
        assertEquals(0, r.code(), r.toString());
        List<Map<String, String>> seen = probeRecords(records);
        assertEquals(2, seen.size(), seen.toString());
        List<TrialFolder> committed = TrialRecords.trials(tmp.resolve("c"), "where");
        assertEquals(2, committed.size());
        for (Map<String, String> child : seen) {
            Path wrote = Path.of(child.get("folder"));
            assertFalse(wrote.startsWith(tmp), "the child wrote into the driver's results folder: " + wrote);
            assertTrue(wrote.toString().contains("/" + org.ablate.store.ExperimentFolder.STAGING + "/"), wrote.toString());
            Path temporary = wrote;
            while (temporary != null && !temporary.getFileName().toString().startsWith("ablate-trial-")) {
                temporary = temporary.getParent();
            }
            assertTrue(temporary != null, "not in a temporary folder of the task's: " + wrote);
            assertFalse(Files.exists(temporary), "the executor's temporary folder was left: " + temporary);
        }
        for (TrialFolder t : committed) {
            assertEquals(TrialState.FINISHED, t.status().orElseThrow().state());
            assertTrue(Files.isRegularFile(t.file(TrialFolder.METRICS)), "the returned folder was committed whole: " + t.dir());
        }
        assertNothingStaged(tmp.resolve("c/where"));

        // a folder larger than the driver is to take back: the trial ends FAILED saying so (resume runs it again)
        r = InProcessCli.run("run", write("big", probe("big", records, 0, "{cpus: 1}", 1)).toString(), "--results-dir",
                tmp.resolve("d").toString(), "--no-report", "--launcher", "spark", "launcher.master=local[1]",
                "launcher.results=returned", "launcher.max_returned=1k");
        assertEquals(1, r.code(), r.toString());
        TrialStatus tooBig = TrialRecords.trials(tmp.resolve("d"), "big").get(0).status().orElseThrow();
        assertEquals(TrialState.FAILED, tooBig.state());
        assertEquals("the trial's folder is too large to return to the driver (more than 1024 bytes packed,"
                + " launcher.max_returned); raise launcher.max_returned (and spark.driver.maxResultSize) or share the results"
                + " folder (launcher.results=shared)", tooBig.reason());
        assertNothingStaged(tmp.resolve("d/big"));
    }

    @Test
    void aMasterWithNoWorkerIsOneLineWithExit10AfterTheExecutorWaitAndLeavesEveryTrialPending() throws Exception {
        Path file = write("pi", QUICK);
        try (StandaloneCluster master = StandaloneCluster.masterOnly(Files.createDirectories(tmp.resolve("cluster")))) {
            long t0 = System.nanoTime();
            InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                    "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=" + master.masterUrl(),
                    "launcher.executor_wait=5s");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertEquals(10, r.code(), r.toString());
            List<String> lines = r.err().strip().lines().toList();
            String expected = "ablate: launcher error: launcher.master: the Spark master at " + master.masterUrl()
                    + " gave this driver no executor within 5.0s (launcher.executor_wait); check that a Worker is registered"
                    + " with it (the master's web UI lists them) and that one has the free cores, memory and GPUs an executor"
                    + " here asks for (1 core(s) per task, 1g of memory)";
            assertEquals(expected, lines.get(lines.size() - 1), r.err());
            assertEquals(1, lines.stream().filter(l -> l.startsWith("ablate:")).count(), r.err());
            assertTrue(seconds < 90, "took " + seconds + " s");
        }
        // nothing was started, so nothing is RUNNING: every trial is pending, and a resume runs them all
        assertEquals(List.of(), TrialRecords.trials(tmp.resolve("results"), "pi"));
        InProcessCli.Result resume = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "-j", "2");
        assertEquals(0, resume.code(), resume.toString());
        assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                resume.summaryLine("pi").replaceAll(" -> .*", ""));
    }

    private static void assertNothingStaged(Path experiment) throws IOException {
        Path staging = experiment.resolve(org.ablate.store.ExperimentFolder.STAGING);
        if (Files.isDirectory(staging)) {
            try (java.util.stream.Stream<Path> left = Files.list(staging)) {
                assertEquals(List.of(), left.toList(), "nothing left staged");
            }
        }
    }

    @Test
    void aSweepOnARealStandaloneClusterRecordsTheSameTrialsAndSummariesAsInProcess() throws Exception {
        Path file = write("pi", QUICK);
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report", "-j", "2");
        assertEquals(0, threads.code(), threads.toString());
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), 2)) {
            long t0 = System.nanoTime();
            InProcessCli.Result spark = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                    "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=" + cluster.masterUrl());
            long t1 = System.nanoTime();
            assertEquals(0, spark.code(), spark.toString());
            System.out.printf("standalone cluster (Master + Worker) up in %d ms; 6-trial sweep, -j 2, on it: %d ms%n",
                    cluster.startMillis(), (t1 - t0) / 1_000_000);
            assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                    spark.summaryLine("pi").replaceAll(" -> .*", ""));
            // the trials ran in the Worker's executor, not in this JVM
            assertTrue(Files.list(tmp.resolve("cluster/work")).findAny().isPresent(), "the Worker started no executor");

            // the same with each trial's folder written on the executor and returned to this driver
            InProcessCli.Result returned = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("c").toString(),
                    "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=" + cluster.masterUrl(),
                    "launcher.results=returned");
            assertEquals(0, returned.code(), returned.toString());
            assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                    returned.summaryLine("pi").replaceAll(" -> .*", ""));
        }
        assertEquals(recorded(tmp.resolve("a")), recorded(tmp.resolve("b")),
                "same trial ids, states, seeds, parameters, summaries and metrics");
        assertEquals(recorded(tmp.resolve("a")), recorded(tmp.resolve("c")), "the same, from the returned folders");
        assertNothingStaged(tmp.resolve("c/pi"));
    }

    @Test
    void killingTheExecutorMidTrialRetriesItsTrialsAndEveryTrialEndsFinishedWithUndisturbedRecords() throws Exception {
        // trials of a second or more, so that the kill lands inside one
        Path file = write("pi", QUICK.replace("samples: 20000,", "samples: 60000000,"));
        InProcessCli.Result threads = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("a").toString(),
                "--no-report", "-j", "2");
        assertEquals(0, threads.code(), threads.toString());
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), 2)) {
            List<String> runningAtKill = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<ProcessHandle> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<ProcessHandle> children = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread killer = new Thread(() -> {
                try {
                    while (runningAtKill.isEmpty()) {
                        runTrialChildren().stream().filter(p -> !children.contains(p)).forEach(children::add);
                        for (TrialFolder t : attemptsOrNone(tmp.resolve("b"))) {
                            if (t.status().map(st -> st.state() == TrialState.RUNNING).orElse(false)
                                    && !metricsOrNone(t).isEmpty()) {
                                runningAtKill.add(t.id()); // recording metrics, not yet ended
                            }
                        }
                        Thread.sleep(20);
                    }
                    for (ProcessHandle executor : cluster.executors()) {
                        CliProcess.signal(executor.pid(), "KILL");
                        killed.add(executor);
                    }
                    while (!Thread.currentThread().isInterrupted()) {
                        runTrialChildren().stream().filter(p -> !children.contains(p)).forEach(children::add);
                        Thread.sleep(100);
                    }
                } catch (InterruptedException done) {
                    // the sweep is over
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            killer.setDaemon(true);
            killer.start();
            long t0 = System.nanoTime();
            InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                    "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=" + cluster.masterUrl());
            System.out.printf("6-trial sweep on the standalone cluster, its executor killed mid-trial: %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);
            killer.interrupt();
            killer.join(5000);
            assertEquals(1, killed.size(), "the executor was not killed mid-trial: " + r);
            assertFalse(runningAtKill.isEmpty());
            assertEquals(0, r.code(), r.toString());
            assertEquals("pi: 6 finished, 0 failed, 0 interrupted, 0 skipped (already finished)",
                    r.summaryLine("pi").replaceAll(" -> .*", ""));
            // the killed executor's children stopped too: none outlives the sweep
            for (ProcessHandle child : children) {
                assertTrue(child.onExit().isDone() || !child.isAlive(), "a trial's child outlived its executor: " + child.pid());
            }
            // the lost attempts were never committed: they are kept aside, each trial's folder is one attempt's
            for (String id : runningAtKill) {
                assertTrue(Files.exists(tmp.resolve("b/pi/.attempts/" + id + ".1")), "the lost attempt of " + id + " is not archived");
            }
        }
        // every trial ends FINISHED with the metrics and summary of an undisturbed run (no duplicate or torn record)
        assertEquals(recorded(tmp.resolve("a")), recorded(tmp.resolve("b")));
        try (java.util.stream.Stream<Path> left = Files.list(tmp.resolve("b/pi/.staging"))) {
            assertEquals(List.of(), left.toList(), "nothing left staged");
        }
    }

    @Test
    void onTheStandaloneClusterEachTrialAskingForOneGpuSeesItsOwnAndNoGpuIsShared() throws Exception {
        Path records = Files.createDirectories(tmp.resolve("records"));
        Path file = write("gpus", probe("gpus", records, 3000, "{gpus: 1}", 4));
        // 4 cores, so that only the 2 (fake) GPUs keep the 4 trials from all running at once
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("cluster")), 4, 2)) {
            InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                    "--no-report", "-j", "4", "--launcher", "spark", "launcher.master=" + cluster.masterUrl(),
                    "launcher.executor_gpus=2");
            assertEquals(0, r.code(), r.toString());

            // a trial that asked for no GPU sees none, not the GPUs of the trials beside it
            Path none = Files.createDirectories(tmp.resolve("records-none"));
            r = InProcessCli.run("run", write("nogpu", probe("nogpu", none, 0, "{cpus: 1}", 1)).toString(), "--results-dir",
                    tmp.resolve("c").toString(), "--no-report", "--launcher", "spark", "launcher.master=" + cluster.masterUrl());
            assertEquals(0, r.code(), r.toString());
            assertEquals("", probeRecords(none).get(0).get("CUDA_VISIBLE_DEVICES"), probeRecords(none).toString());
        }
        List<Map<String, String>> seen = probeRecords(records);
        System.out.println("what the 1-GPU trials' children saw: " + seen);
        assertEquals(4, seen.size(), seen.toString());
        int overlapping = 0;
        for (Map<String, String> a : seen) {
            assertTrue(List.of("0", "1").contains(a.get("CUDA_VISIBLE_DEVICES")), "one assigned GPU each: " + seen);
            for (Map<String, String> b : seen) {
                if (a != b && overlap(a, b)) {
                    overlapping++;
                    assertFalse(a.get("CUDA_VISIBLE_DEVICES").equals(b.get("CUDA_VISIBLE_DEVICES")),
                            "two trials running at once were given the same GPU: " + seen);
                }
            }
        }
        assertTrue(overlapping > 0, "no two trials ran at once, so the test proved nothing: " + seen);
    }

    @Test
    void aTrialAskingForTwoCpusHoldsTwoLocalCoresAndItsChildRunsTwoThreads() throws Exception {
        Path records = Files.createDirectories(tmp.resolve("records"));
        Path file = write("cpus", probe("cpus", records, 1500, "{cpus: 2}", 3));
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("b").toString(),
                "--no-report", "-j", "3", "--launcher", "spark", "launcher.master=local[2]");
        assertEquals(0, r.code(), r.toString());
        List<Map<String, String>> seen = probeRecords(records);
        assertEquals(3, seen.size(), seen.toString());
        for (Map<String, String> a : seen) {
            assertEquals("2", a.get("OMP_NUM_THREADS"), seen.toString());
            assertEquals("2", a.get("processors"), seen.toString());
            for (Map<String, String> b : seen) {
                // each task holds both cores of local[2]: one trial at a time, whatever -j says
                assertFalse(a != b && overlap(a, b), "two 2-cpu trials ran at once on 2 cores: " + seen);
            }
        }

        // more cpus than local mode has: refused before anything is written
        InProcessCli.Result tooMany = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("c").toString(),
                "--launcher", "spark", "launcher.master=local[2]", "--dry-run");
        assertEquals(0, tooMany.code(), "2 of 2 cores is fine: " + tooMany);
        Path four = write("four", probe("four", records, 0, "{cpus: 4}", 1));
        tooMany = InProcessCli.run("run", four.toString(), "--results-dir", tmp.resolve("c").toString(),
                "--launcher", "spark", "launcher.master=local[2]");
        assertEquals(2, tooMany.code(), tooMany.toString());
        assertEquals("ablate: error: launcher 'spark': resources.cpus: 4 requested, but Spark's local mode (local[2]) has 2"
                + " cores; ask for at most 2 or use launcher.master=local[4]", tooMany.err().strip());
        assertFalse(Files.exists(tmp.resolve("c")), "nothing may be written");
    }

    /** An experiment of {@code trials} resource-probe trials that hold for {@code holdMs} and ask for {@code resources}. */
    private static String probe(String name, Path records, int holdMs, String resources, int trials) {
        StringBuilder slots = new StringBuilder();
        for (int i = 1; i <= trials; i++) {
            slots.append(i == 1 ? "" : ", ").append(i);
        }
        return "name: " + name + "\ntask: resource-probe\nparams: {record_dir: '" + records + "', hold_ms: " + holdMs + "}\n"
                + "sweep: {grid: {slot: [" + slots + "]}}\nresources: " + resources + "\n";
    }

    /** What each probe child recorded (a retried attempt records again; none is retried here). */
    private static List<Map<String, String>> probeRecords(Path records) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(records)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".properties")).sorted()::iterator) {
                Map<String, String> m = new TreeMap<>();
                for (String line : Files.readAllLines(f)) {
                    m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
                out.add(m);
            }
        }
        return out;
    }

    private static boolean overlap(Map<String, String> a, Map<String, String> b) {
        return Long.parseLong(a.get("start")) < Long.parseLong(b.get("end"))
                && Long.parseLong(b.get("start")) < Long.parseLong(a.get("end"));
    }

    /** The staged attempts now in the results (the running trials write there until committed). */
    private static List<TrialFolder> attemptsOrNone(Path results) {
        try {
            org.ablate.store.ExperimentFolder pi = new org.ablate.store.ResultsStore(results).experiment("pi");
            List<TrialFolder> out = new ArrayList<>();
            for (String id : pi.stagedTrials()) {
                out.addAll(pi.stagedAttempts(id));
            }
            return out;
        } catch (IOException | RuntimeException notYet) {
            return List.of();
        }
    }

    private static List<Map<?, ?>> metricsOrNone(TrialFolder t) {
        try {
            return TrialRecords.metricRecords(t);
        } catch (IOException | RuntimeException notYet) {
            return List.of();
        }
    }

    @Test
    void aGpuRequestInLocalModeIsRefusedOnOneLineWithExit2AndNothingWritten() throws Exception {
        Path file = write("gpu", QUICK.replace("name: pi", "name: gpu") + "resources: {gpus: 1}\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark");
        assertEquals(2, r.code(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("resources.gpus: 1 requested, but Spark's local mode (local[*]) cannot assign GPUs"), err);
        assertFalse(Files.exists(tmp.resolve("results")), "nothing may be written");
        // a dry run that passes must not hide it
        InProcessCli.Result dry = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "--dry-run");
        assertEquals(2, dry.code(), dry.toString());
        assertEquals(err, dry.err().strip());
    }

    @Test
    void anUnknownLauncherOptionOrMasterIsRefusedOnOneLineWithExit2() throws Exception {
        Path file = write("pi", QUICK);
        InProcessCli.Result option = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.mastr=local[2]");
        assertEquals(2, option.code(), option.toString());
        assertEquals(1, option.err().strip().lines().count(), option.err());
        assertTrue(option.err().contains("mastr"), option.err());
        assertTrue(option.err().contains("master"), "names the accepted option: " + option.err());

        InProcessCli.Result master = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.master=local[two]");
        assertEquals(2, master.code(), master.toString());
        assertEquals(1, master.err().strip().lines().count(), master.err());
        assertTrue(master.err().contains("launcher.master: 'local[two]' is not a Spark master (accepted: local[*]"), master.err());

        InProcessCli.Result host = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.master=spark://127.0.0.1:7077", "launcher.driver_host=two words");
        assertEquals(2, host.code(), host.toString());
        assertEquals(1, host.err().strip().lines().count(), host.err());
        assertTrue(host.err().contains("launcher.driver_host: 'two words' is not a host name or address"), host.err());

        InProcessCli.Result results = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.results=copied");
        assertEquals(2, results.code(), results.toString());
        assertEquals(1, results.err().strip().lines().count(), results.err());
        assertTrue(results.err().contains("shared") && results.err().contains("returned"), results.err());

        InProcessCli.Result size = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.results=returned", "launcher.max_returned=lots", "--dry-run");
        assertEquals(2, size.code(), size.toString());
        assertEquals("ablate: error: launcher 'spark': launcher.max_returned: bad value 'lots' (accepted: a size such as 512m,"
                + " 2g, 1GiB, or a whole number of bytes)", size.err().strip());

        InProcessCli.Result wait = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--launcher", "spark", "launcher.executor_wait=a while", "--dry-run");
        assertEquals(2, wait.code(), wait.toString());
        assertEquals("ablate: error: launcher 'spark': launcher.executor_wait: bad value 'a while' (accepted: a duration such"
                + " as 90s, 5m, 1h or 500ms; 0 waits as long as it takes)", wait.err().strip());
        assertFalse(Files.exists(tmp.resolve("results")), "nothing may be written");
    }

    @Test
    void anUnreachableMasterIsOneLineWithinSecondsWithExit10AndNothingWritten() throws Exception {
        Path file = write("pi", QUICK);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "--launcher", "spark", "launcher.master=spark://127.0.0.1:" + closed);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(10, r.code(), r.toString());
        assertEquals("ablate: launcher error: launcher.master: no Spark master answers at 127.0.0.1:" + closed
                + " (Connection refused) (waited up to 5 s each); start the master or correct launcher.master", r.err().strip());
        assertTrue(seconds < 15, "took " + seconds + " s");
        assertFalse(Files.exists(tmp.resolve("results")), "nothing may be written");
    }

    @Test
    void aTrialPastItsTimeoutIsCancelledItsChildKilledAndTheOthersFinish() throws Exception {
        // one trial that would run for hours next to two quick ones; 15 s, not less, so that the quick
        // ones finish within the timeout even when a loaded machine takes seconds to start and end a JVM
        Path file = write("slow", """
                name: slow
                task: monte-carlo-pi
                params: {first_checkpoint: 1000}
                sweep: {grid: {samples: [20000, 1000000000000, 30000]}}
                """);
        long started = System.nanoTime();
        List<ProcessHandle> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                runTrialChildren().stream().filter(p -> !seen.contains(p)).forEach(seen::add);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report", "-j", "2", "--launcher", "spark", "launcher.master=local[2]", "--trial-timeout", "15s");
        watcher.interrupt();
        watcher.join();
        assertEquals(1, r.code(), r.toString());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(90), "the timeout did not end the trial");
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "slow");
        int finished = 0;
        for (TrialFolder t : trials) {
            TrialStatus status = t.status().orElseThrow();
            if (status.state() == TrialState.FINISHED) {
                finished++;
            } else {
                assertEquals(TrialState.FAILED, status.state());
                assertEquals("timed out after 15.0s", status.reason());
                assertEquals(1000000000000L, ((Number) TrialRecords.param(t, "samples")).longValue());
                // counted from the start the child recorded, as in-process: its start-up is not taken from the trial
                double ran = ((Number) t.config().get("duration_s")).doubleValue();
                assertTrue(ran >= 14.9, "the trial ran " + ran + " s of its 15 s timeout");
            }
        }
        assertEquals(2, finished, r.toString());
        // the task's interrupt killed the child: no run-trial JVM of this sweep is left
        assertFalse(seen.isEmpty(), "the watcher never saw a trial's child");
        for (ProcessHandle child : seen) {
            assertTrue(child.onExit().isDone() || !child.isAlive(), "a trial's child outlived its timeout: " + child.pid());
        }
    }

    @Test
    void ctrlCCancelsTheRunningJobsKillsTheirChildrenAndRecordsThemInterrupted() throws Exception {
        write("hours", """
                name: hours
                task: monte-carlo-pi
                params: {samples: 1000000000000, first_checkpoint: 1000}
                seeds: [1, 2]
                """);
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", "hours.yaml", "--no-report", "-j", "2",
                "--launcher", "spark", "launcher.master=local[2]");
        List<ProcessHandle> children = List.of();
        for (int i = 0; i < 1200 && children.size() < 2 && run.isAlive(); i++) {
            Thread.sleep(50);
            children = runTrialChildren();
        }
        assertEquals(2, children.size(), Files.readString(tmp.resolve("run.log")));
        Thread.sleep(1000); // both children well into their trials

        CliProcess.signal(run, "INT");

        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(130, run.exitValue(), log);
        for (ProcessHandle child : children) {
            assertTrue(child.onExit().isDone() || !child.isAlive(), "a trial's child outlived Ctrl-C: " + child.pid());
        }
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "hours");
        assertEquals(2, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.INTERRUPTED, t.status().orElseThrow().state(), log);
        }
    }

    /** The run-trial JVMs of this test's sweeps still alive. */
    private List<ProcessHandle> runTrialChildren() {
        return ProcessHandle.allProcesses().filter(p -> {
            String c = commandLine(p);
            return c.contains("run-trial") && c.contains(tmp.toString());
        }).toList();
    }

    /** From /proc: ProcessHandle.Info gives no command line this long (the classpath). */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    @Test
    void aRunWithAnotherLauncherLoadsNoSparkClass() throws Exception {
        Path file = write("one", "name: one\ntask: monte-carlo-pi\nparams: {samples: 20000}\n");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), "org.ablate.cli.AblateCli",
                "run", file.toString(), "--results-dir", tmp.resolve("results").toString(), "--no-report");
        Path log = tmp.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CI", "true");
        Process run = pb.start();
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        // the plugin was loaded and its launcher registered ...
        assertTrue(lines.stream().anyMatch(l -> l.contains("org.ablate.spark.SparkLauncher ")), "the spark plugin was not loaded");
        // ... without a single Spark (or Scala) class
        assertEquals(List.of(), lines.stream().filter(l -> l.contains("org.apache.spark.") || l.contains(" scala.")).toList());
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    /** Per trial: state, seed, params, summary and the metric points without their timestamps. */
    private static Map<String, Object> recorded(Path results) throws IOException {
        return TrialRecords.results(results, "pi", "samples_per_s"); // samples_per_s: a timing, not a result
    }
}
