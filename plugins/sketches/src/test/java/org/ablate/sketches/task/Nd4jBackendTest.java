package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ablate.provenance.Nd4jBackend;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;
import org.ablate.testing.CliProcess;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ND4J backend a sweep of an ND4J task really runs on, on a machine without a usable GPU (this
 * one): provenance names the backend ND4J loaded, a GPU request is refused before anything is
 * written, and the CUDA build ({@code mvn -Pcuda}, README "GPUs") falls back to the CPU with one
 * warning line. The CUDA-build test is skipped in the default (CPU) build; run it with
 * {@code mvn -B -Pcuda -pl plugins/sketches -am test -Dtest=Nd4jBackendTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class Nd4jBackendTest {

    private static final String QUICK = """
            name: backend
            task: linf-regression
            params: {instance: gaussian, sketch: gaussian, n: 512, d: 8, m: "4 * d", draws: 2, epsilon: 1.0}
            seeds: [0, 1]
            """;
    private static final String WARNING = "ND4J runs on the CPU (nd4j-native): its CUDA backend cannot run here: ";

    @TempDir
    Path tmp;

    @Test
    void provenanceNamesTheBackendNd4jLoadedAndItsDevice() throws Exception {
        assumeNoUsableGpu();
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "backend", QUICK, "--no-report");
        assertEquals(0, run.code(), run.toString());
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "backend");
        assertEquals(2, trials.size());
        for (TrialFolder t : trials) {
            Map<String, Object> provenance = provenance(t);
            assertEquals("nd4j-native", provenance.get("nd4j_backend"), provenance.toString());
            assertEquals("cpu", provenance.get("nd4j_device"));
            assertFalse(provenance.containsKey("cuda_runtime"), "no CUDA versions on the CPU");
            assertEquals(Nd4jBackend.cudaOnClasspath(), provenance.containsKey("nd4j_fallback"),
                    "why the CUDA backend was skipped, exactly in the CUDA build: " + provenance);
        }
    }

    @Test
    void aGpuRequestIsRefusedBeforeAnythingIsWrittenWhenNoGpuIsUsable() throws Exception {
        assumeNoUsableGpu();
        String why = Nd4jBackend.cudaOnClasspath() ? "ND4J's CUDA backend cannot run: "
                : "this is the CPU build (ND4J's nd4j-native only; bin/ablate --backend cuda builds the CUDA one)";
        for (String launcher : List.of("in-process", "process")) {
            InProcessCli.Result run = InProcessCli.runYaml(tmp, "gpu", QUICK.replace("name: backend", "name: gpu")
                    + "resources: {gpus: 1}\n", "--launcher", launcher);
            assertEquals(2, run.code(), run.toString());
            assertEquals("", run.out());
            String line = "ablate: error: launcher '" + launcher + "': resources.gpus: 1 requested, but no GPU is usable here: " + why;
            assertTrue(run.err().startsWith(line), run.err());
            assertTrue(run.err().contains("; the NVIDIA driver shows 0 (/proc/driver/nvidia/gpus)"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertFalse(Files.exists(tmp.resolve("results/gpu")), "nothing written");
        }
    }

    @Test
    void theCudaBuildFallsBackToTheCpuWithOneWarningLine() throws Exception {
        assumeTrue(Nd4jBackend.cudaOnClasspath(), "the CUDA build only (mvn -Pcuda)");
        assumeNoUsableGpu();
        Files.writeString(tmp.resolve("backend.yaml"), QUICK);
        Path log = tmp.resolve("run.log");
        Process run = CliProcess.start(tmp, log, "run", "backend.yaml", "--no-report", "-j", "2");
        assertTrue(run.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(0, run.exitValue(), out);
        List<String> warnings = out.lines().filter(l -> l.contains(WARNING)).toList();
        assertEquals(1, warnings.size(), out);
        assertTrue(warnings.get(0).contains(" WARN "), warnings.get(0));
        assertFalse(out.contains("UnsatisfiedLinkError") || out.contains("\tat ") || out.contains("Skipped ["),
                "no stack trace or ND4J's own lines on the console:\n" + out);
        assertTrue(out.contains("backend: 2 finished, 0 failed"), out);
        List<TrialFolder> trials = TrialRecords.trials(tmp.resolve("results"), "backend");
        assertEquals(2, trials.size());
        for (TrialFolder t : trials) {
            Map<String, Object> provenance = provenance(t);
            assertEquals("nd4j-native", provenance.get("nd4j_backend"), "what ND4J loaded, not what is on the classpath");
            assertNotNull(provenance.get("nd4j_fallback"));
            assertTrue(warnings.get(0).endsWith(WARNING + provenance.get("nd4j_fallback")), warnings.get(0));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> provenance(TrialFolder t) throws Exception {
        return (Map<String, Object>) Json.readMap(t.file(TrialFolder.CONFIG)).get("provenance");
    }

    /** These tests describe a machine without a GPU, as this one. */
    private static void assumeNoUsableGpu() {
        assumeTrue(Nd4jBackend.loaded().gpus() == 0, "a usable GPU: " + Nd4jBackend.loaded().describe());
        assumeTrue(!Files.exists(Path.of("/proc/driver/nvidia/gpus")), "an NVIDIA driver with GPUs");
    }
}
