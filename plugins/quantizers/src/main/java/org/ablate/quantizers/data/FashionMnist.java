package org.ablate.quantizers.data;

import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ablate.spi.SharedCache;

/**
 * Loads Fashion-MNIST from the Debian package {@code dataset-fashion-mnist}, decoded once per
 * process.
 *
 * <p>Several trials of one experiment run in the same JVM and all want the same 60k images, so
 * decoded splits are kept in the engine's {@link SharedCache}, injected (the arrays are immutable,
 * sharing is safe; the cache's byte bound decides how long they stay). The directory is the
 * package's, {@value #DEFAULT_DIR}, unless the system property {@value #DIR_PROPERTY} or the
 * environment variable {@value #DIR_ENV} names another (property first). A missing dataset is a
 * {@link DatasetUnavailableException} whose one-line message says how to install it.
 *
 * <p>Classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt,
 * 7 Sneaker, 8 Bag, 9 Ankle boot.
 */
public final class FashionMnist {

    /** Where the Debian package puts the files. */
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    /** System property overriding the directory. */
    public static final String DIR_PROPERTY = "ablate.fashionMnistDir";
    /** Environment variable overriding the directory (when the property is unset). */
    public static final String DIR_ENV = "ABLATE_FASHION_MNIST_DIR";
    /** Image side length. */
    public static final int SIZE = 28;
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Class names, indexed by label. */
    public static final String[] CLASS_NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private final SharedCache cache;

    @Inject
    public FashionMnist(SharedCache cache) {
        this.cache = cache;
    }

    /**
     * The {@code "train"} (60,000 images) or {@code "test"} (10,000) split, pixels in [0, 1].
     *
     * @param subset keep the first {@code subset} images; 0 keeps all
     * @throws DatasetUnavailableException the files are missing or unreadable
     */
    public ImageDataset load(String split, int subset) {
        if (subset < 0) {
            throw new IllegalArgumentException("subset must be >= 0 (0 = all), got " + subset);
        }
        String prefix = filePrefix(split);
        Path dir = directory();
        String key = "fashion-mnist:" + dir.toAbsolutePath().normalize() + ":" + prefix;
        ImageDataset full = cache.get(key, ImageDataset.class, ImageDataset::sizeInBytes,
                () -> read(dir, split.toLowerCase(Locale.ROOT), prefix));
        return subset == 0 ? full : full.subset(subset);
    }

    /** The directory {@link #load} reads: property, then environment variable, then the default. */
    public static Path directory() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = System.getenv(DIR_ENV);
        }
        if (dir == null || dir.isBlank()) {
            dir = DEFAULT_DIR;
        }
        return Path.of(dir);
    }

    /** The one-line message for a missing dataset in {@code dir}. */
    public static String notFoundMessage(Path dir) {
        return "Fashion-MNIST not found in " + dir
                + ": install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";
    }

    private static String filePrefix(String split) {
        if (split == null) {
            throw new IllegalArgumentException("split must be \"train\" or \"test\", got null");
        }
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> "train";
            case "test", "t10k" -> "t10k";
            default -> throw new IllegalArgumentException(
                    "split must be \"train\" or \"test\", got \"" + split + "\"");
        };
    }

    private static ImageDataset read(Path dir, String split, String prefix) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetUnavailableException(notFoundMessage(dir));
        }
        Path imagesFile = locate(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = locate(dir, prefix + "-labels-idx1-ubyte");
        try {
            IdxReader.Images images = IdxReader.readImages(imagesFile);
            int[] labels = IdxReader.readLabels(labelsFile);
            if (labels.length != images.count()) {
                throw new DatasetUnavailableException("Fashion-MNIST " + split + " in " + dir + " is inconsistent: "
                        + images.count() + " images but " + labels.length + " labels");
            }
            return ImageDataset.wrapUnsignedBytes("fashion-mnist-" + (split.equals("t10k") ? "test" : split),
                    images.pixels(), labels, images.rows(), images.cols());
        } catch (IOException e) {
            throw new DatasetUnavailableException("Fashion-MNIST in " + dir + " is unreadable: " + e.getMessage()
                    + " (reinstall dataset-fashion-mnist)", e);
        }
    }

    /** The gzipped file, or else an uncompressed one of the same base name. */
    private static Path locate(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetUnavailableException("Fashion-MNIST not found in " + dir + " (no " + base
                + ".gz): install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
    }
}
