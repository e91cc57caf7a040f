package org.ablate.tracking.mlflow;

import static org.ablate.tracking.mlflow.MlflowTesting.assertNoneRunning;
import static org.ablate.tracking.mlflow.MlflowTesting.assertTrialRun;
import static org.ablate.tracking.mlflow.MlflowTesting.childrenByTrial;
import static org.ablate.tracking.mlflow.MlflowTesting.runs;
import static org.ablate.tracking.mlflow.MlflowTesting.tags;
import static org.ablate.tracking.mlflow.MlflowTesting.withTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.MlflowServer;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * The server goes away mid-sweep, or is never there: the sweep goes on, the store records what
 * MLflow lacks, and `ablate sync` completes it without a duplicate run or point. One private
 * server for the class (it is killed and restarted on the same store).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlflowOutageTest {

    private MlflowServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        server = MlflowServer.start(serverDir);
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void serverUp() throws Exception {
        if (!server.isRunning()) {
            server.startProcess();
        }
    }

    @Test
    void aServerLostMidSweepIsCaughtUpBySync() throws Exception {
        String mlflowName = MlflowTesting.uniqueName("outage");
        Path file = Sweeps.write(tmp, "outage", """
                task: probe
                params: {steps: 8, sleep_ms: 150}
                sweep: {grid: {x: [1, 2, 3]}}
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        ExperimentFolder folder = new ResultsStore(results).experiment("outage");
        CompletableFuture<InProcessCli.Result> sweep = CompletableFuture.supplyAsync(() -> InProcessCli.run(
                "run", file.toString(), "--tracking-uri", server.uri(), "--results-dir", results.toString()));

        // the server dies once the first trial is fully in MLflow and the next one half-way there
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String halfway;
        while ((halfway = syncedCount(folder) == 0 ? null : halfSent(folder)) == null) {
            assertTrue(System.nanoTime() < deadline && !sweep.isDone(), "no trial reached MLflow");
            Thread.sleep(10);
        }
        server.kill();
        String halfwayRun = SyncState.read(folder.trial(halfway)).orElseThrow().runId();

        InProcessCli.Result run = sweep.get(3, TimeUnit.MINUTES);
        assertEquals(0, run.code(), run.out() + run.err());
        List<TrialFolder> trials = folder.trials();
        assertEquals(6, trials.size());
        for (TrialFolder t : trials) {
            assertEquals(TrialState.FINISHED, t.status().map(TrialStatus::state).orElseThrow(), t.id());
        }
        List<String> unsynced = MlflowTesting.unsynced(folder);
        assertFalse(unsynced.isEmpty(), "the trials after the outage cannot be in MLflow");
        assertTrue(unsynced.size() < 6, unsynced.toString());
        for (String id : unsynced) {
            SyncState s = SyncState.read(folder.trial(id)).orElseThrow();
            assertNotNull(s.error(), id);
        }

        InProcessCli.Result status = InProcessCli.run("status", "outage", "--results-dir", results.toString());
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains(unsynced.size() + " not yet in MLflow (ablate sync outage)"), status.out());

        server.startProcess();
        InProcessCli.Result sync = InProcessCli.run("sync", "outage", "--tracking-uri", server.uri(),
                "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.out() + sync.err());
        assertTrue(sync.out().startsWith("outage: " + unsynced.size() + " trial(s) synced to " + server.uri()), sync.out());
        assertTrue(sync.out().contains((6 - unsynced.size()) + " already there, 0 not ended"), sync.out());
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        InProcessCli.Result statusAfter = InProcessCli.run("status", "outage", "--results-dir", results.toString());
        assertFalse(statusAfter.out().contains("not yet in MLflow"), statusAfter.out());

        try (MlflowConnection c = MlflowTesting.connect(server.uri(), mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            List<Run> parents = withTag(all, Tags.ROLE, "sweep");
            assertEquals(1, parents.size(), "the sync completes the sweep's own parent");
            Run parent = parents.get(0);
            Map<String, Run> children = childrenByTrial(all); // fails on a trial with two runs
            assertEquals(trials.stream().map(TrialFolder::id).collect(Collectors.toCollection(TreeSet::new)), children.keySet());
            assertEquals(7, all.size());
            for (TrialFolder t : trials) {
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId()); // whole history, no point twice
            }
            assertEquals(halfwayRun, children.get(halfway).getInfo().getRunId(), "the half-sent run is completed, not replaced");
            assertNoneRunning(all);
            assertEquals(RunStatus.FINISHED, parent.getInfo().getStatus());
            Set<String> ids = all.stream().map(r -> r.getInfo().getRunId()).collect(Collectors.toSet());

            // as the sweep's warning says: `ablate sync outage`, the server being the one recorded
            InProcessCli.Result again = InProcessCli.run("sync", "outage", "--results-dir", results.toString());
            assertEquals(0, again.code(), again.out() + again.err());
            assertTrue(again.out().startsWith("outage: 0 trial(s) synced to " + server.uri()), again.out());
            assertTrue(again.out().contains("6 already there"), again.out());
            assertEquals(ids, runs(c, mlflowName).stream().map(r -> r.getInfo().getRunId()).collect(Collectors.toSet()));
        }
    }

    @Test
    void aServerNeverReachedIsCaughtUpBySync() throws Exception {
        String mlflowName = MlflowTesting.uniqueName("unreachable");
        Path file = Sweeps.write(tmp, "unreachable", """
                description: never reached
                task: probe
                params: {steps: 4}
                sweep: {grid: {x: [1, 2]}}
                seeds: [0, 1]
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        String closed = "http://127.0.0.1:" + closedPort();
        long started = System.nanoTime();
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--tracking-uri", closed,
                "--results-dir", results.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "a closed port must not stall the sweep");
        ExperimentFolder folder = new ResultsStore(results).experiment("unreachable");
        Map<String, SyncState> states = MlflowTesting.syncStates(folder);
        assertEquals(4, states.size());
        String invocation = null;
        for (SyncState s : states.values()) {
            assertNotNull(s);
            assertFalse(s.synced());
            assertEquals(closed, s.trackingUri());
            assertTrue(s.invocation().id().startsWith("run-"), s.invocation().id());
            invocation = s.invocation().id();
        }

        InProcessCli.Result down = InProcessCli.run("sync", "unreachable", "--results-dir", results.toString());
        assertEquals(5, down.code(), down.out() + down.err());
        assertTrue(down.err().matches("ablate: tracking error: MLflow server " + closed
                + ": .*: unreachable \\(connection refused\\)\n"), down.err());
        assertEquals(4, MlflowTesting.unsynced(folder).size());

        InProcessCli.Result sync = InProcessCli.run("sync", "unreachable", "--tracking-uri", server.uri(),
                "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.out() + sync.err());
        assertTrue(sync.out().startsWith("unreachable: 4 trial(s) synced"), sync.out());
        assertEquals(List.of(), MlflowTesting.unsynced(folder));
        try (MlflowConnection c = MlflowTesting.connect(server.uri(), mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(5, all.size());
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            Map<String, String> ptags = tags(parent);
            // the parent is the sweep's own invocation, recorded with each trial when it ran
            assertEquals(invocation, ptags.get(Tags.INVOCATION));
            SyncState recorded = SyncState.read(folder.trials().get(0)).orElseThrow();
            assertEquals(recorded.invocation().runName(), parent.getInfo().getRunName());
            assertEquals(recorded.invocation().startedMillis(), parent.getInfo().getStartTime());
            assertEquals("never reached", ptags.get(Tags.NOTE));
            assertEquals(RunStatus.FINISHED, parent.getInfo().getStatus());
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
                SyncState s = SyncState.read(t).orElseThrow();
                assertEquals(server.uri(), s.trackingUri(), "mlflow.json names the server the trial is in");
                assertEquals(children.get(t.id()).getInfo().getRunId(), s.runId());
            }
        }

        // synced to another server: "already there" means there, so the trials are sent again...
        String other = MlflowServer.shared();
        InProcessCli.Result elsewhere = InProcessCli.run("sync", "unreachable", "--tracking-uri", other,
                "--results-dir", results.toString());
        assertEquals(0, elsewhere.code(), elsewhere.out() + elsewhere.err());
        assertTrue(elsewhere.out().startsWith("unreachable: 4 trial(s) synced to " + other), elsewhere.out());
        try (MlflowConnection c = MlflowTesting.connect(other, mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(5, all.size());
            assertEquals(invocation, tags(withTag(all, Tags.ROLE, "sweep").get(0)).get(Tags.INVOCATION));
            assertEquals(4, childrenByTrial(all).size());
        }
        // ...and back on the first, each run is found again, not made twice
        InProcessCli.Result back = InProcessCli.run("sync", "unreachable", "--tracking-uri", server.uri(),
                "--results-dir", results.toString());
        assertEquals(0, back.code(), back.out() + back.err());
        try (MlflowConnection c = MlflowTesting.connect(server.uri(), mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(5, all.size(), "no duplicate after a round trip");
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
            }
        }
    }

    @Test
    void aSweepRunWithoutTrackingGetsASyncParent() throws Exception {
        Assumptions.assumeTrue(System.getenv("MLFLOW_TRACKING_URI") == null, "MLFLOW_TRACKING_URI turns tracking on");
        String mlflowName = MlflowTesting.uniqueName("untracked");
        Path file = Sweeps.write(tmp, "untracked", """
                task: probe
                params: {steps: 3}
                sweep: {grid: {mode: [ok, fail]}}
                tracking: {experiment: %s}
                """.formatted(mlflowName));
        Path results = tmp.resolve("results");
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--results-dir", results.toString());
        assertEquals(1, run.code(), run.out() + run.err());
        ExperimentFolder folder = new ResultsStore(results).experiment("untracked");
        for (TrialFolder t : folder.trials()) {
            assertTrue(Files.notExists(t.file(SyncState.FILE)), "tracking was off");
        }
        InProcessCli.Result status = InProcessCli.run("status", "untracked", "--results-dir", results.toString());
        assertFalse(status.out().contains("MLflow"), status.out());

        InProcessCli.Result sync = InProcessCli.run("sync", "untracked", "--tracking-uri", server.uri(),
                "--results-dir", results.toString());
        assertEquals(0, sync.code(), sync.out() + sync.err());
        try (MlflowConnection c = MlflowTesting.connect(server.uri(), mlflowName)) {
            List<Run> all = runs(c, mlflowName);
            assertEquals(3, all.size());
            Run parent = withTag(all, Tags.ROLE, "sweep").get(0);
            assertTrue(tags(parent).get(Tags.INVOCATION).startsWith("sync-"), tags(parent).get(Tags.INVOCATION));
            assertTrue(parent.getInfo().getRunName().matches("untracked \\S+ \\S+ \\(sync\\)"), parent.getInfo().getRunName());
            assertEquals(RunStatus.FAILED, parent.getInfo().getStatus(), "one of its trials failed");
            Map<String, Run> children = childrenByTrial(all);
            for (TrialFolder t : folder.trials()) {
                assertTrialRun(c, t, children.get(t.id()), parent.getInfo().getRunId());
            }
        }
    }

    private static long syncedCount(ExperimentFolder folder) {
        try {
            return folder.exists() ? MlflowTesting.syncStates(folder).values().stream().filter(s -> s != null && s.synced()).count() : 0;
        } catch (java.io.IOException e) {
            return 0; // the folder is being written
        }
    }

    /** A trial whose run exists but is not complete yet, or null. */
    private static String halfSent(ExperimentFolder folder) {
        try {
            return MlflowTesting.syncStates(folder).entrySet().stream()
                    .filter(e -> e.getValue() != null && e.getValue().runId() != null && !e.getValue().synced())
                    .map(Map.Entry::getKey).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
