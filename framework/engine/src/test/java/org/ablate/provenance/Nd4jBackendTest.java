package org.ablate.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Why ND4J skipped its CUDA backend, read from what it printed (the messages ND4J 1.0.0-M2.1 prints). */
class Nd4jBackendTest {

    @Test
    void theUsualCausesAreNamedShortly() {
        assertEquals(Optional.of("libcuda.so.1 not found (no NVIDIA driver)"), Nd4jBackend.reason("""
                java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory
                \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)
                01:09:29 WARN  Skipped [JCublasBackend] backend (unavailable): java.lang.UnsatisfiedLinkError: ...
                """));
        assertEquals(Optional.of("libcudart.so.11.0 not found (no CUDA 11.6 runtime: install it, or build with -Pcuda,cuda-redist)"),
                Nd4jBackend.reason("java.lang.UnsatisfiedLinkError: /x/libjnicudart.so: libcudart.so.11.0: cannot open shared object file: No such file or directory\n"));
        assertEquals(Optional.of("java.lang.RuntimeException: something else"),
                Nd4jBackend.reason("noise\njava.lang.RuntimeException: something else\n\tat x\n"));
        assertEquals(Optional.empty(), Nd4jBackend.reason(""));
    }

    @Test
    void withoutNd4jOnTheClasspathTheBackendIsNone() {
        // the engine's own tests have no ND4J: provenance stays as the committed fixtures record it
        assertEquals("none", Nd4jBackend.forProvenance().backend());
        assertEquals(java.util.Map.of(), Nd4jBackend.forProvenance().provenanceFields());
    }
}
