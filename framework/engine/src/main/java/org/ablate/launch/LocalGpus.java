package org.ablate.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.ablate.provenance.Nd4jBackend;

/**
 * The GPUs a trial running on this machine can use without being handed devices: those ND4J's
 * CUDA backend runs on, or, for tasks that drive a GPU themselves (a PyTorch program; Hopper-class
 * GPUs, which ND4J's CUDA build cannot serve), those the NVIDIA driver shows. A sweep asking for
 * more is refused before anything is written, with the reason, rather than run on the CPU.
 */
final class LocalGpus {

    /** One folder per GPU the NVIDIA kernel driver has bound. */
    private static final Path DRIVER_GPUS = Path.of("/proc/driver/nvidia/gpus");

    private LocalGpus() {
    }

    /** @throws IllegalArgumentException one line: how many were asked for and why they are not here */
    static void require(int gpus) {
        if (gpus <= 0) {
            return;
        }
        Nd4jBackend nd4j = Nd4jBackend.loaded();
        int driver = driverGpus();
        if (nd4j.gpus() >= gpus || driver >= gpus) {
            return;
        }
        String why;
        if (Nd4jBackend.NONE.equals(nd4j.backend())) {
            why = "ND4J is not on the classpath";
        } else if (!Nd4jBackend.cudaOnClasspath()) {
            why = "this is the CPU build (ND4J's nd4j-native only; bin/ablate --backend cuda builds the CUDA one)";
        } else if (nd4j.fallback() != null) {
            why = "ND4J's CUDA backend cannot run: " + nd4j.fallback();
        } else {
            why = "ND4J's CUDA backend sees " + nd4j.gpus() + ": " + nd4j.device();
        }
        throw new IllegalArgumentException("resources.gpus: " + gpus + " requested, but no GPU is usable here: " + why
                + "; the NVIDIA driver shows " + driver + " (" + DRIVER_GPUS + ")"
                + " (a task that drives its own GPU work: --launcher process launcher.devices=0,1,...)");
    }

    /** The GPUs the NVIDIA driver has bound, as many as CUDA_VISIBLE_DEVICES lets through. */
    static int driverGpus() {
        int bound;
        try (Stream<Path> gpus = Files.list(DRIVER_GPUS)) {
            bound = (int) gpus.count();
        } catch (IOException e) {
            return 0;
        }
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (visible == null) {
            return bound;
        }
        visible = visible.strip();
        int listed = visible.isEmpty() || visible.startsWith("-1") ? 0 : visible.split(",").length;
        return Math.min(bound, listed);
    }
}
