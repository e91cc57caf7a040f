package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.params;
import static org.ablate.tracking.mlflow.MlflowTesting.remoteHistory;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.tags;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;

/** A sweep run with --tracking-uri, read back from a real MLflow server (the shared one). */
class MlflowLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void aSweepIsLaidOutAsAResearcherWouldByHand() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("layout");
        Path repo = gitRepository(tmp.resolve("repo"));
        String description = "Layout check: two inputs, one failing configuration.";
        Path file = Sweeps.write(repo, "layout", """
                description: "%s"
                task: probe
                params: {steps: 5, flag: true, levels: [4, 3]}
                sweep: {grid: {x: [1, 2.5], mode: [ok, fail]}}
                exclude: [{x: 2.5, mode: fail}]
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(description, mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--tracking-uri", uri, "--results-dir", results.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        ExperimentFolder folder = new ResultsStore(results).experiment("layout");
        List<TrialFolder> trials = folder.trials();
        assertEquals(6, trials.size());
        assertEquals(2, trials.stream().filter(t -> t.status().map(TrialStatus::state).orElseThrow() == TrialState.FAILED).count());
        assertEquals(List.of(), MlflowTesting.unsynced(folder), "every trial reached the live server");

        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            assertTrue(c.client().getExperimentByName(mlflowName).isPresent(), "the experiment file names the MLflow experiment");
            List<Run> all = runs(c, mlflowName);
            assertEquals(7, all.size(), "one parent and one run per trial");

            // the parent: the invocation
            List<Run> parents = withTag(all, Tags.ROLE, "sweep");
            assertEquals(1, parents.size());
            Run parent = parents.get(0);
            Map<String, String> ptags = tags(parent);
            assertTrue(ptags.get(Tags.RUN_NAME).startsWith("layout "), ptags.get(Tags.RUN_NAME));
            assertEquals(ptags.get(Tags.RUN_NAME), parent.getInfo().getRunName());
            assertEquals(description, ptags.get(Tags.NOTE));
            assertEquals(RunStatus.FAILED, parent.getInfo().getStatus(), "one trial failed");
            assertTrue(parent.getInfo().getEndTime() >= parent.getInfo().getStartTime() && parent.getInfo().getEndTime() > 0);
            assertEquals(null, ptags.get(Tags.PARENT));
            String invocation = ptags.get(Tags.INVOCATION);
            assertTrue(invocation.startsWith("run-"), invocation);
            for (TrialFolder t : trials) {
                SyncState s = SyncState.read(t).orElseThrow();
                assertEquals(invocation, s.invocation().id());
                assertEquals(parent.getInfo().getRunId(), s.parentRunId());
                assertEquals(parent.getInfo().getExperimentId(), s.experimentId());
                assertEquals(uri, s.trackingUri());
            }
            for (String name : List.of("experiment.yaml", "sweep.json")) {
                assertArrayEquals(Files.readAllBytes(folder.dir().resolve(name)),
                        c.downloadArtifact(parent.getInfo().getArtifactUri(), name), "parent artifact " + name);
            }
            // the sweep's files, and (attached after the sweep by `ablate run`) its report
            List<String> parentFiles = MlflowTesting.artifactPaths(c, parent);
            assertTrue(parentFiles.containsAll(List.of("experiment.yaml", "sweep.json")), parentFiles.toString());
            assertTrue(parentFiles.stream().allMatch(f -> f.equals("experiment.yaml") || f.equals("sweep.json")
                    || f.startsWith("report/")), parentFiles.toString());
            for (String name : List.of("report.md", "aggregates.csv")) {
                assertTrue(parentFiles.contains("report/" + name), parentFiles.toString());
                assertArrayEquals(Files.readAllBytes(folder.dir().resolve("report").resolve(name)),
                        c.downloadArtifact(parent.getInfo().getArtifactUri(), "report/" + name), "report file " + name);
            }

            // provenance as tags, on the parent and on each trial
            Map<String, Object> provenance = castMap(trials.get(0).config().get("provenance"));
            String commit = git(repo, "rev-parse", "HEAD");
            for (Run run : all) {
                Map<String, String> t = tags(run);
                assertEquals(commit, t.get(Tags.GIT_COMMIT), run.getInfo().getRunName());
                assertEquals(System.getProperty("user.name"), t.get(Tags.USER));
                assertEquals(System.getProperty("java.version"), t.get("ablate.java_version"));
                assertNotNull(provenance.get("nd4j_backend"));
                assertEquals(provenance.get("nd4j_backend"), t.get("ablate.nd4j_backend"));
                assertEquals(provenance.get("host"), t.get("ablate.host"));
                assertEquals("layout", t.get("ablate.experiment"));
            }

            // one child per trial, holding exactly what its folder holds
            Map<String, Run> children = childrenByTrial(all);
            assertEquals(trials.stream().map(TrialFolder::id).collect(Collectors.toCollection(TreeSet::new)), children.keySet());
            for (TrialFolder t : trials) {
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
                assertEquals(children.get(t.id()).getInfo().getRunId(), SyncState.read(t).orElseThrow().runId());
            }

            // values as text: a real, an int, a bool, a list, a choice
            TrialFolder some = trials.stream().filter(t -> config(t).get("params") instanceof Map<?, ?> p
                    && Double.valueOf(2.5).equals(p.get("x"))).findFirst().orElseThrow();
            Map<String, String> p = params(children.get(some.id()));
            assertEquals("2.5", p.get("x"));
            assertEquals("5", p.get("steps"));
            assertEquals("10", p.get("n"));
            assertEquals("true", p.get("flag"));
            assertEquals("[4,3]", p.get("levels"));
            assertEquals("ok", p.get("mode"));
            assertEquals("probe", p.get("task"));
            assertEquals(String.valueOf(config(some).get("seed")), p.get("seed"));
            assertEquals(5, remoteHistory(c, children.get(some.id()).getInfo().getRunId(), "train/value").size());
        }
    }

    @Test
    void aLongHistoryArrivesWholeAndARerunCreatesNothing() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("long");
        Path file = Sweeps.write(tmp, "long", """
                task: probe
                params: {steps: 2500}
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        String[] command = {"run", file.toString(), "--tracking-uri", uri, "--results-dir", results.toString()};
        InProcessCli.Result first = InProcessCli.run(command);
        assertEquals(0, first.code(), first.out() + first.err());
        ExperimentFolder folder = new ResultsStore(results).experiment("long");
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(3, all.size());
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            assertEquals(RunStatus.FINISHED, parent.getInfo().getStatus());
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                String runId = children.get(t.id()).getInfo().getRunId();
                List<MlflowTesting.Point> history = remoteHistory(c, runId, "train/value");
                assertEquals(2500, history.size());
                for (int i = 0; i < 2500; i++) {
                    assertEquals(i, history.get(i).step());
                }
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
            }
            Set<String> before = all.stream().map(x -> x.getInfo().getRunId()).collect(Collectors.toSet());

            InProcessCli.Result again = InProcessCli.run(command);
            assertEquals(0, again.code(), again.out() + again.err());
            assertTrue(again.out().contains("0 finished, 0 failed, 0 interrupted, 2 skipped"), again.out());
            Set<String> after = runs(c, mlflowName).stream().map(x -> x.getInfo().getRunId()).collect(Collectors.toSet());
            assertEquals(before, after, "a re-run that skips every trial makes no run");

            // a parent left RUNNING (the server went away as the sweep ended) is closed by a sync,
            // though every trial is in
            c.client().setTerminated(parent.getInfo().getRunId(), RunStatus.RUNNING, 0);
            assertEquals(RunStatus.RUNNING, c.client().getRun(parent.getInfo().getRunId()).getInfo().getStatus());
            InProcessCli.Result sync = InProcessCli.run("sync", "long", "--results-dir", results.toString());
            assertEquals(0, sync.code(), sync.out() + sync.err());
            assertTrue(sync.out().startsWith("long: 0 trial(s) synced"), sync.out());
            assertEquals(RunStatus.FINISHED, c.client().getRun(parent.getInfo().getRunId()).getInfo().getStatus());
        }
    }

    @Test
    void anInterruptedSweepIsKilledInMlflow() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("interrupted");
        Path file = Sweeps.write(tmp, "interrupted", """
                task: probe
                params: {steps: 200, sleep_ms: 50, mode: slow}
                sweep: {grid: {x: [1, 2]}}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        ExperimentFolder folder = new ResultsStore(results).experiment("interrupted");
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"), "run", file.toString(), "--tracking-uri", uri,
                "--results-dir", results.toString());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!folder.exists() || folder.trials().isEmpty()
                || SyncState.read(folder.trials().get(0)).map(SyncState::runId).orElse(null) == null) {
            assertTrue(System.nanoTime() < deadline && run.isAlive(), Files.readString(tmp.resolve("run.log")));
            Thread.sleep(20);
        }
        Thread.sleep(300); // a few points on their way
        CliProcess.signal(run, "INT");
        assertTrue(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(130, run.exitValue(), Files.readString(tmp.resolve("run.log")));
        TrialFolder trial = folder.trials().get(0);
        assertEquals(TrialState.INTERRUPTED, trial.status().map(TrialStatus::state).orElseThrow());

        // the Ctrl-C hook and the sweep's thread both close the tracker: the parent ends once, KILLED
        String log = Files.readString(tmp.resolve("run.log"));
        assertTrue(SyncState.read(trial).orElseThrow().synced(), log);
        assertFalse(log.contains("not fully in MLflow"), log);
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            Run parent = withTag(runs(c, mlflowName), Tags.ROLE, "sweep").get(0);
            assertEquals(RunStatus.KILLED, parent.getInfo().getStatus(), Files.readString(tmp.resolve("run.log")));
            Map<String, Double> outcome = new java.util.TreeMap<>();
            parent.getData().getMetricsList().forEach(m -> outcome.put(m.getKey(), m.getValue()));
            assertEquals(Map.of("trials/finished", 0.0, "trials/failed", 0.0, "trials/interrupted", 1.0), outcome,
                    "the parent row counts the interrupted trial");
        }
        InProcessCli.Result sync = InProcessCli.run("sync", "interrupted", "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.out() + sync.err());
        assertTrue(sync.out().contains("0 trial(s) synced"), sync.out());
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(2, all.size(), "the second trial never started");
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            assertEquals(RunStatus.KILLED, parent.getInfo().getStatus());
            Run child = childrenByTrial(all).get(trial.id());
            assertEquals(RunStatus.KILLED, child.getInfo().getStatus());
            assertEquals(MlflowTesting.localHistory(trial).get("train/value"),
                    remoteHistory(c, child.getInfo().getRunId(), "train/value"));
            assertEquals(trial.status().orElseThrow().reason(), tags(child).get("ablate.failure"));
        }
    }

    @Test
    void aDeletedExperimentStopsTheSweepWithAClearMessage() throws Exception {
        String uri = MlflowServer.shared();
        String mlflowName = MlflowTesting.uniqueName("deleted");
        try (MlflowConnection c = MlflowTesting.connect(uri, mlflowName)) {
            c.client().deleteExperiment(c.experimentId(mlflowName));
        }
        Path file = Sweeps.write(tmp, "deleted", """
                task: probe
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--tracking-uri", uri, "--results-dir", results.toString());
        assertEquals(5, r.code(), r.out() + r.err());
        assertEquals("ablate: tracking error: MLflow server " + uri + ": experiment '" + mlflowName + "' is deleted; restore it "
                + "(mlflow experiments restore), or name another with tracking.experiment or MLFLOW_EXPERIMENT_NAME\n", r.err());
        assertEquals(List.of(), new ResultsStore(results).experiment("deleted").trials(), "no trial may run");
    }

    @Test
    void processesCreatingTheSameExperimentAtOnceGetOneId() throws Exception {
        String uri = MlflowServer.shared();
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                String name = MlflowTesting.uniqueName("race");
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<String>> ids = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<String> create = () -> {
                        try (MlflowConnection c = MlflowTesting.connect(uri, name)) {
                            c.client().getExperimentByName("warm-up-" + name); // connection open before the race
                            start.await();
                            return c.experimentId(name);
                        }
                    };
                    ids.add(pool.submit(create));
                }
                Set<String> distinct = new TreeSet<>();
                for (Future<String> f : ids) {
                    distinct.add(f.get()); // an error in any thread fails here
                }
                assertEquals(1, distinct.size(), distinct.toString());
                try (MlflowConnection c = MlflowTesting.connect(uri, name)) {
                    assertEquals(distinct.iterator().next(), c.client().getExperimentByName(name).orElseThrow().getExperimentId());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> config(TrialFolder t) {
        try {
            return t.config();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** A git repository with one commit, so that provenance has a commit to record. */
    static Path gitRepository(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        git(dir, "init", "-q");
        git(dir, "-c", "user.email=test@example.org", "-c", "user.name=test", "commit", "-q", "--allow-empty", "-m", "start");
        return dir;
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}
