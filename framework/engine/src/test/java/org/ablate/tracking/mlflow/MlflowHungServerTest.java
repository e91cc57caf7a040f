package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.ResultsStore;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that accepts connections and never answers (a hung proxy, a stopped process): the
 * official client would wait forever, so every request has a time limit after which the server
 * counts as unreachable.
 */
class MlflowHungServerTest {

    @TempDir
    Path tmp;

    private ServerSocket hung;
    private final List<Socket> held = new ArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void startHungServer() throws IOException {
        hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!hung.isClosed()) {
                try {
                    held.add(hung.accept()); // read nothing, answer nothing
                } catch (IOException closed) {
                    return;
                }
            }
        }, "hung-server");
        acceptor.setDaemon(true);
        acceptor.start();
        System.setProperty("ablate.mlflow.timeout", "1");
    }

    @AfterEach
    void stop() throws IOException {
        System.clearProperty("ablate.mlflow.timeout");
        hung.close();
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void aSweepGoesOnAndSyncGivesUpWithAClearMessage() throws Exception {
        String uri = "http://127.0.0.1:" + hung.getLocalPort();
        Path file = Sweeps.write(tmp, "hung", "task: probe\nparams: {steps: 3}\nseeds: [0, 1]\n");
        Path results = tmp.resolve("results");

        long t0 = System.nanoTime();
        InProcessCli.Result run = InProcessCli.run("run", file.toString(), "--tracking-uri", uri,
                "--results-dir", results.toString(), "--no-report");
        double runS = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(runS < 12, "the sweep waited " + runS + " s for a server that never answers");
        ExperimentFolder folder = new ResultsStore(results).experiment("hung");
        assertEquals(2, MlflowTesting.unsynced(folder).size(), "both trials are left for `ablate sync`");

        t0 = System.nanoTime();
        InProcessCli.Result sync = InProcessCli.run("sync", "hung", "--tracking-uri", uri, "--results-dir", results.toString());
        double syncS = (System.nanoTime() - t0) / 1e9;
        assertEquals(5, sync.code(), sync.out() + sync.err());
        assertTrue(sync.err().contains("no answer within 1 s"), sync.err());
        assertEquals(1, sync.err().strip().lines().count(), sync.err());
        assertTrue(syncS < 10, "sync waited " + syncS + " s");
        assertEquals(2, MlflowTesting.unsynced(folder).size());
    }
}
