package org.ablate.launch;

import org.ablate.provenance.Nd4jBackend;

/**
 * The GPUs a trial running on this machine can use without being handed devices: those of ND4J's
 * CUDA backend, where it runs. A sweep asking for more is refused before anything is written, with
 * the reason (CPU build, CUDA backend that cannot run, too few devices), rather than run on the CPU.
 */
final class LocalGpus {

    private LocalGpus() {
    }

    /** @throws IllegalArgumentException one line: how many were asked for and why they are not here */
    static void require(int gpus) {
        if (gpus <= 0) {
            return;
        }
        Nd4jBackend nd4j = Nd4jBackend.loaded();
        if (nd4j.gpus() >= gpus) {
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
                + " (a task that drives its own GPU work: --launcher process launcher.devices=0,1,...)");
    }
}
