package org.ablate.quantizers.twin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch twin's Python package ({@value #MODULE}, shipped in this plugin's jar from
 * src/main/python) as a folder a python can import it from: extracted once per content into
 * {@code java.io.tmpdir/ablate-vq-torch-<hash>} (written to a fresh folder, then renamed into place,
 * so concurrent trials never see half a package).
 */
public final class TwinSources {

    /** The module {@code python3 -m} runs. */
    public static final String MODULE = "ablate_vq_torch";
    /** The package's files (TwinSourcesTest checks this list against the source folder). */
    static final List<String> FILES = List.of("__init__.py", "__main__.py", "data.py", "definitions.py", "metrics.py",
            "model.py", "png.py", "quantizers.py", "train.py");
    private static final String RESOURCE_ROOT = "python/" + MODULE + "/";

    private static volatile Path extracted;

    private TwinSources() {
    }

    /** The folder to put on PYTHONPATH so that {@code import ablate_vq_torch} finds this jar's twin. */
    public static Path pythonPath() {
        Path p = extracted;
        if (p == null) {
            synchronized (TwinSources.class) {
                if (extracted == null) {
                    extracted = extract(Path.of(System.getProperty("java.io.tmpdir")));
                }
                p = extracted;
            }
        }
        return p;
    }

    static Path extract(Path parent) {
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : FILES) {
                try (InputStream in = TwinSources.class.getResourceAsStream(RESOURCE_ROOT + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the torch twin's " + MODULE + "/" + name
                                + " is missing from the quantizer plugin's jar (rebuild the plugin)");
                    }
                    byte[] bytes = in.readAllBytes();
                    files.put(name, bytes);
                    sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(bytes);
                }
            }
            Path target = parent.resolve("ablate-vq-torch-" + HexFormat.of().formatHex(sha.digest(), 0, 8));
            if (Files.isDirectory(target.resolve(MODULE))) {
                return target;
            }
            Path staging = Files.createTempDirectory(parent, "ablate-vq-torch-staging-");
            Path pkg = Files.createDirectories(staging.resolve(MODULE));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(pkg.resolve(f.getKey()), f.getValue());
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(staging); // another process put the same content there first
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + staging + " into place: " + e.getMessage(), e);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the torch twin into " + parent + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
