package org.ablate.quantizers.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ablate.quantizers.twin.TwinSources;

/**
 * The benchmark's PyTorch peer: {@code ablate_peer_vq.py} (shipped in this jar) times the PyTorch
 * twin's conv VQ autoencoder step and chunked search (the {@link TwinSources} package, on its
 * PYTHONPATH), run by the first python that imports torch, so one bench invocation prints both
 * sides. Used by {@link QuantizersBenchmark}; {@link #find} also picks the twin's python.
 */
public final class TorchPeer {

    static final String SCRIPT = "ablate_peer_vq.py";
    /** Where to get the peer on Debian; printed when no python with torch is found. */
    static final String INSTALL_HINT = "apt-get install python3-torch";
    /** Debian's torch multiplies matrices through libblas.so.3; this makes that OpenBLAS. */
    static final String FAST_BLAS_HINT = "apt-get install libopenblas0-pthread";

    private final String python;

    private TorchPeer(String python) {
        this.python = python;
    }

    /**
     * The first of {@code $ABLATE_PYTHON}, {@code python3} on the PATH and {@code /usr/bin/python3}
     * that can import torch (a pyenv python first on the PATH often cannot).
     */
    public static Optional<TorchPeer> find() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("ABLATE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String c : candidates) {
            if (importsTorch(c)) {
                return Optional.of(new TorchPeer(c));
            }
        }
        return Optional.empty();
    }

    /** The candidates {@link #find} tries, for the message when none works. */
    static String candidatesTried() {
        return "$ABLATE_PYTHON, python3, /usr/bin/python3";
    }

    public String python() {
        return python;
    }

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no such executable
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What the peer measured: its sgemm rate, search time per K and median step time per quantizer and K. */
    public record Result(String version, double sgemmGflops, Map<Long, Double> searchMs, Map<String, Double> stepMs) {

        /** The step time for a quantizer at K, or NaN. */
        public double step(String quantizer, long k) {
            return stepMs.getOrDefault(quantizer + "/" + k, Double.NaN);
        }

        public double search(long k) {
            return searchMs.getOrDefault(k, Double.NaN);
        }
    }

    /** Thrown when the peer's process fails; the message is one line (its last error line). */
    public static final class PeerFailedException extends Exception {
        PeerFailedException(String message) {
            super(message);
        }
    }

    /**
     * Runs the peer script with these arguments (see its --help) on {@code threads} threads and
     * parses its records.
     */
    public Result run(int threads, List<String> args, long timeoutSeconds) throws IOException, PeerFailedException {
        Path script = Files.createTempFile("ablate-peer-", ".py");
        try {
            try (InputStream in = TorchPeer.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException("the peer script " + SCRIPT + " is missing from the quantizer plugin's jar");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(python, "-u", script.toString(), "--threads", Integer.toString(threads)));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command);
            // the peer imports the network, quantizers and search from the twin
            String inherited = pb.environment().get("PYTHONPATH");
            pb.environment().put("PYTHONPATH", twinFolder()
                    + (inherited == null || inherited.isEmpty() ? "" : File.pathSeparator + inherited));
            // torch's own pool, OpenMP and the system BLAS each read their own variable
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            pb.environment().put("MKL_NUM_THREADS", Integer.toString(threads));
            Path errors = Files.createTempFile("ablate-peer-", ".err");
            pb.redirectError(errors.toFile());
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            }
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new PeerFailedException("the PyTorch peer ran past " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new PeerFailedException("interrupted while the PyTorch peer ran");
            }
            List<String> err = Files.readAllLines(errors, StandardCharsets.UTF_8);
            Files.deleteIfExists(errors);
            if (p.exitValue() != 0) {
                String last = err.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no error output)");
                throw new PeerFailedException("the PyTorch peer (" + python + ") exited with " + p.exitValue() + ": " + last.strip());
            }
            return parse(lines);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** {@link TwinSources#pythonPath}, its failure to extract as the IOException {@link #run} declares. */
    private static Path twinFolder() throws IOException {
        try {
            return TwinSources.pythonPath();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e); // a file of the twin missing from the jar
        }
    }

    /** Parses the script's tab-separated records (info, sgemm, search, step). */
    static Result parse(List<String> lines) throws PeerFailedException {
        String version = "";
        double sgemm = Double.NaN;
        Map<Long, Double> search = new LinkedHashMap<>();
        Map<String, Double> step = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            try {
                switch (f[0]) {
                    case "info" -> version = f[1];
                    case "sgemm" -> sgemm = Double.parseDouble(f[1]);
                    case "search" -> search.put(Long.parseLong(f[1]), Double.parseDouble(f[2]));
                    case "step" -> step.put(f[1] + "/" + Long.parseLong(f[2]), Double.parseDouble(f[3]));
                    default -> throw new PeerFailedException("the PyTorch peer printed an unknown record: " + line);
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw new PeerFailedException("the PyTorch peer printed a malformed record: " + line);
            }
        }
        return new Result(version, sgemm, search, step);
    }
}
