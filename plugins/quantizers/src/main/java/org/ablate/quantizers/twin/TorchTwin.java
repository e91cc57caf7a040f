package org.ablate.quantizers.twin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ablate.quantizers.bench.TorchPeer;
import org.ablate.spi.TrialContext;
import org.ablate.spi.TrialFailedException;
import org.ablate.spi.task.ExternalProgram;

/**
 * Runs a {@code vq-autoencoder} trial through the PyTorch twin ({@code implementation: torch}):
 * {@code python -m ablate_vq_torch} under the framework's trial protocol (task.json with the
 * trial's parameters and seed, records relayed as a Java task's), from the folder the twin was
 * extracted to, with the first python that imports torch.
 */
public final class TorchTwin {

    private static volatile Optional<TorchPeer> python;

    private TorchTwin() {
    }

    /** Runs the trial to its end and returns the summary the twin wrote. */
    public static Map<String, Double> run(TrialContext ctx) throws IOException {
        TorchPeer peer = python().orElseThrow(() -> new TrialFailedException("implementation: torch needs a python that imports"
                + " torch (tried $ABLATE_PYTHON, python3, /usr/bin/python3): apt-get install python3-torch", ""));
        return ExternalProgram.of(List.of(peer.python(), "-m", TwinSources.MODULE))
                .workingDirectory(TwinSources.pythonPath()) // python -m imports from its working directory
                .run(ctx);
    }

    private static Optional<TorchPeer> python() {
        Optional<TorchPeer> p = python;
        if (p == null) {
            synchronized (TorchTwin.class) {
                if (python == null) {
                    python = TorchPeer.find(); // starts a python or three: once per process
                }
                p = python;
            }
        }
        return p;
    }
}
