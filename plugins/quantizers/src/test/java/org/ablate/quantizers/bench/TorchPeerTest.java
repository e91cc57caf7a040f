package org.ablate.quantizers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PyTorch peer script runs and prints records the bench parses (not timed). */
class TorchPeerTest {

    static Optional<TorchPeer> peerOrSkip() {
        Optional<TorchPeer> peer = TorchPeer.find();
        assumeTrue(peer.isPresent(), "skipped: no python with torch (tried " + TorchPeer.candidatesTried()
                + "); install it with `" + TorchPeer.INSTALL_HINT + "`");
        return peer;
    }

    @Test
    void thePeerRunsOneStepOfEachQuantizerAndTheSearchAndPrintsParseableNumbers() throws Exception {
        TorchPeer peer = peerOrSkip().get();
        TorchPeer.Result r = peer.run(1, List.of("--dim", "8", "--vectors", "50", "--search-ks", "32,100",
                "--train-ks", "16", "--batch", "2", "--steps", "1", "--runs", "1", "--bound", "1024",
                "--sgemm-size", "64"), 300);
        assertTrue(r.version().startsWith("torch "), r.version());
        assertTrue(r.version().endsWith("threads 1"), "the peer runs on the thread count it is given: " + r.version());
        assertTrue(r.sgemmGflops() > 0 && Double.isFinite(r.sgemmGflops()), r.toString());
        assertEquals(Set.of(32L, 100L), r.searchMs().keySet());
        assertEquals(Set.of("vq/16", "simvq/16"), r.stepMs().keySet());
        for (double ms : List.of(r.search(32), r.search(100), r.step("vq", 16), r.step("simvq", 16))) {
            assertTrue(ms > 0 && Double.isFinite(ms), r.toString());
        }
    }

    @Test
    void aFailingPeerIsOneLineNamingTheExitAndItsLastError() {
        TorchPeer peer = peerOrSkip().get();
        TorchPeer.PeerFailedException e = assertThrows(TorchPeer.PeerFailedException.class,
                () -> peer.run(1, List.of("--no-such-option"), 120));
        assertTrue(e.getMessage().contains("exited with 2") && e.getMessage().contains("--no-such-option"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void malformedOrUnknownRecordsAreRejectedNotMisread() {
        for (List<String> bad : List.of(List.of("step\tvq\t1024"), List.of("step\tvq\tK\t1.0"), List.of("search\t64\tfast"),
                List.of("sgemm"), List.of("hello world"))) {
            TorchPeer.PeerFailedException e = assertThrows(TorchPeer.PeerFailedException.class, () -> TorchPeer.parse(bad));
            assertTrue(e.getMessage().contains(bad.get(0)), e.getMessage());
        }
    }

    @Test
    void recordsAreParsedByKindQuantizerAndK() throws Exception {
        TorchPeer.Result r = TorchPeer.parse(List.of("info\ttorch 1.13.0 threads 2", "sgemm\t160.5", "search\t16384\t120.25",
                "step\tvq\t1024\t97.5", "step\tsimvq\t1024\t90.0"));
        assertEquals(160.5, r.sgemmGflops(), 0.0);
        assertEquals(120.25, r.search(16384), 0.0);
        assertEquals(97.5, r.step("vq", 1024), 0.0);
        assertEquals(90.0, r.step("simvq", 1024), 0.0);
        assertTrue(Double.isNaN(r.step("vq", 16384)), "a K the peer did not run is NaN, not 0");
    }
}
