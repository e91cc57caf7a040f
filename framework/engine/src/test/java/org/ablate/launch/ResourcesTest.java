package org.ablate.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ablate.testing.InProcessCli;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;
import org.ablate.testing.CliProcess;
import org.ablate.testing.Sweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resources:} in the experiment file: validated, recorded, and applied by the process launcher. */
class ResourcesTest {

    @TempDir
    Path tmp;

    @Test
    void theProcessLauncherGivesEachChildItsCpusHeapAndDevicesAndNoTrackingCredentials() throws Exception {
        Sweeps.write(tmp, "res", """
                name: res
                task: child-fault
                params: {fault: report-resources}
                seeds: [1, 2]
                launcher: {name: process, devices: "3,5"}
                resources: {cpus: 2, memory: 256m, gpus: 1}
                """);
        Process run = CliProcess.start(tmp, tmp.resolve("run.log"),
                Map.of("MLFLOW_TRACKING_PASSWORD", "s3cret-never-passed"), "run", "res.yaml", "--no-report", "-j", "2");
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("run.log"));
        assertEquals(0, run.exitValue(), log);
        ExperimentFolder folder = new ResultsStore(tmp.resolve("results")).experiment("res");
        List<String> devices = new java.util.ArrayList<>();
        for (TrialFolder t : folder.trials()) {
            Map<String, Object> summary = t.summary();
            assertEquals(2.0, ((Number) summary.get("processors")).doubleValue(), "-XX:ActiveProcessorCount from cpus");
            double heap = ((Number) summary.get("max_heap_mib")).doubleValue();
            assertTrue(heap > 200 && heap <= 256, "-Xmx from memory: " + heap);
            String[] env = Files.readString(t.file(TrialFolder.ARTIFACTS).resolve("env.txt")).split("\\|", -1);
            assertEquals("2", env[0], "OMP_NUM_THREADS from cpus");
            assertEquals("", env[2], "tracking credentials are not passed to the child");
            devices.add(env[1]);
        }
        assertEquals(2, devices.size());
        assertTrue(List.of("3", "5").containsAll(devices), devices.toString());
        Map<String, Object> sweep = Json.readMap(folder.dir().resolve("sweep.json"));
        assertEquals(Map.of("cpus", 2L, "memory_bytes", 256L << 20, "gpus", 1L), sweep.get("resources"));
    }

    @Test
    void inProcessRecordsTheRequestButSaysItIsNotApplied() throws Exception {
        Path file = Sweeps.write(tmp, "res", "name: res\ntask: probe\nresources: {cpus: 1}\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--no-report");
        assertEquals(0, r.code(), r.err());
        String log = Files.readString(tmp.resolve("results/res/sweep.log"));
        assertTrue(log.contains("launcher in-process: trials share this JVM, so 'resources:' is recorded but not applied"), log);
        assertEquals(Map.of("cpus", 1L), Json.readMap(tmp.resolve("results/res/sweep.json")).get("resources"));
    }

    @Test
    void aBadResourceKeyOrValueIsOneLineNamingFileKeyAndAcceptedForms() throws Exception {
        assertRefused("resources: {cpu: 2}", "unknown key; did you mean 'cpus'? (accepted: cpus, memory, gpus)");
        assertRefused("resources: {cpus: 0}", "bad value 0 (accepted: cpus: a whole number of CPUs, 1 to 4096, e.g. cpus: 2)");
        assertRefused("resources: {memory: lots}",
                "(accepted: memory: a size with a unit, e.g. 512m, 4g, 4GiB, or a whole number of bytes)");
        assertRefused("resources: {gpus: 1.5}", "(accepted: gpus: a whole number of GPUs, 0 to 1024, e.g. gpus: 1)");
        assertRefused("launcher: {devices: \"0\"}", "a launcher mapping needs 'name'");
    }

    private void assertRefused(String line, String expected) throws Exception {
        Path file = Sweeps.write(tmp, "bad", "name: bad\ntask: probe\n" + line + "\n");
        InProcessCli.Result r = InProcessCli.run("run", file.toString(), "--results-dir", tmp.resolve("results").toString(),
                "--dry-run");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ablate: error: " + file), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }
}
