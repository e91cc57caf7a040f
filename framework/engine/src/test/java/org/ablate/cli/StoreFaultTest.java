package org.ablate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results folder on a real read-only and a real full file system: a small tmpfs mounted for the
 * test (root can write through chmod, so only a mount is truly read-only for it). Skipped where
 * the test cannot mount (not root, or no mount permission in the container).
 */
class StoreFaultTest {

    private static final String SMALL = """
            name: faults
            task: probe
            params: {steps: 3}
            sweep: {grid: {x: [1, 2]}}
            report:
              plots: [{metric: train/value, x: step, group: x}]
            """;

    @TempDir
    Path tmp;

    private Path disk;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString()) == 0,
                "cannot mount a tmpfs here (needs root); the read-only and full-disk tests are skipped");
    }

    @AfterEach
    void unmount() throws Exception {
        sh("umount", "-l", disk.toString());
    }

    private static int sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private InProcessCli.Result run(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "run";
        args[1] = tmp.resolve("faults.yaml").toString();
        args[2] = "--results-dir";
        args[3] = disk.resolve("results").toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return InProcessCli.run(args);
    }

    /** Every file under the results folder and its bytes. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(disk.resolve("results"))) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                files.put(disk.relativize(p).toString(), Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    private static void assertOneStoreLine(InProcessCli.Result r, String path, String what) {
        assertEquals(ExitCodes.STORE, r.code(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "more than one line: " + err);
        assertFalse(err.contains("internal error"), err);
        assertTrue(err.startsWith("ablate: results store error: cannot write "), err);
        assertTrue(err.contains(path), err);
        assertTrue(err.endsWith(": " + what), err);
    }

    @Test
    void aReadOnlyResultsFolderGivesOneLineAndExit6AndChangesNothing() throws Exception {
        Sweeps.write(tmp, "faults", SMALL);
        assertEquals(0, run().code());
        Map<String, String> before = snapshot();
        assertEquals(0, sh("mount", "-o", "remount,ro", disk.toString()));

        InProcessCli.Result resumed = run();
        assertOneStoreLine(resumed, disk.resolve("results/faults").toString(), "read-only file system");
        InProcessCli.Result more = run("x=[1,2,3]");
        assertOneStoreLine(more, disk.resolve("results/faults").toString(), "read-only file system");
        InProcessCli.Result report = InProcessCli.run("report", tmp.resolve("faults.yaml").toString(),
                "--results-dir", disk.resolve("results").toString());
        assertOneStoreLine(report, disk.resolve("results/faults/report").toString(), "read-only file system");
        InProcessCli.Result status = InProcessCli.run("status", "faults", "--results-dir", disk.resolve("results").toString());
        assertEquals(0, status.code(), status.err()); // reading needs no write
        assertEquals(before, snapshot());
    }

    @Test
    void aNewExperimentOnAReadOnlyDiskNamesTheFolderItCannotCreate() throws Exception {
        Sweeps.write(tmp, "faults", SMALL);
        assertEquals(0, sh("mount", "-o", "remount,ro", disk.toString()));
        InProcessCli.Result r = run();
        assertOneStoreLine(r, disk.resolve("results").toString(), "read-only file system");
    }

    @Test
    void aDiskAlreadyFullWhenTheNextSweepStartsLeavesTheEarlierResultsIntact() throws Exception {
        Sweeps.write(tmp, "faults", SMALL);
        assertEquals(0, run().code());
        Map<String, String> before = snapshot();
        fill(disk.resolve("filler"));
        InProcessCli.Result more = run("x=[1,2,3]");
        assertOneStoreLine(more, disk.resolve("results/faults").toString(), "no space left on device");
        Map<String, String> after = snapshot();
        // the lock file holds only the pid of the process that holds it; everything else is as it was
        before.remove("results/faults/.lock");
        after.remove("results/faults/.lock");
        assertEquals(before, after);
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (java.io.OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    @Test
    void aDiskThatFillsMidSweepGivesOneLineAndExit6KeepsWhatFinishedAndResumesOnceThereIsRoom() throws Exception {
        // the first trial is tiny; the second logs ~7 MB of metrics into a 2 MB disk
        Sweeps.write(tmp, "faults", """
                name: faults
                task: probe
                sweep: {grid: {steps: [3, 100000]}}
                """);
        InProcessCli.Result full = run("--no-report");
        assertOneStoreLine(full, disk.resolve("results/faults").toString(), "no space left on device");
        ExperimentFolder folder = new ResultsStore(disk.resolve("results")).experiment("faults");
        Json.readMap(folder.dir().resolve(ExperimentFolder.SWEEP));
        TrialFolder small = folder.trials().stream()
                .filter(t -> t.status().map(s -> s.state() == TrialState.FINISHED).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("the finished trial was lost"));
        Map<String, Object> summary = small.summary();
        assertTrue(summary.containsKey("result"), summary.toString());
        assertEquals(3, Files.readAllLines(small.file(TrialFolder.METRICS)).size());
        try (Stream<Path> all = Files.walk(folder.dir())) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }

        assertEquals(0, sh("mount", "-o", "remount,size=64m", disk.toString()));
        InProcessCli.Result resumed = run("--no-report");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, folder.trials().stream().filter(TrialFolder::isFinished).count());
        assertTrue(resumed.out().contains("1 finished, 0 failed, 0 interrupted, 1 skipped"), resumed.out());
        try (Stream<Path> attempts = Files.list(folder.dir().resolve(ExperimentFolder.ATTEMPTS))) {
            assertEquals(1, attempts.count(), "the attempt that hit the full disk is kept");
        }
    }
}
