package org.ablate.quantizers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ablate.spi.SharedCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path tmp;

    private final String savedProperty = System.getProperty(FashionMnist.DIR_PROPERTY);
    /** A fresh cache per test (JUnit makes an instance per test method), as a fresh process has. */
    private final FashionMnist fashionMnist = new FashionMnist(SharedCache.bounded(1L << 30));

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(FashionMnist.DIR_PROPERTY);
        } else {
            System.setProperty(FashionMnist.DIR_PROPERTY, savedProperty);
        }
    }

    @Test
    void loadsTrainQuicklyAndCachesIt() {
        IdxReaderTest.assumeRealFiles();
        long start = System.nanoTime();
        ImageDataset train = fashionMnist.load("train", 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        // About 0.45 s on the 2-core development VM.
        assertTrue(seconds < 2.0, "loading the train split took " + seconds + " s");
        assertEquals(60000, train.count());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(10, train.classCount());
        assertEquals(9, train.label(0));
        assertEquals("fashion-mnist-train", train.name());
        assertEquals(73 / 255f, train.pixel(0, 100));
        assertEquals(136 / 255f, train.image(0)[127]);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        int[] first = new int[2000];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        for (float v : train.batchPixels(first)) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        long again = System.nanoTime();
        assertSame(train, fashionMnist.load("train", 0));
        assertTrue((System.nanoTime() - again) / 1e9 < 0.1, "a cached load must not re-read the files");
        assertSame(train, fashionMnist.load("TRAIN", 60000), "a subset of everything is the dataset itself");
    }

    @Test
    void theCacheBoundEvictsASplitThatNoLongerFits() {
        IdxReaderTest.assumeRealFiles();
        // train is 47.3 MB, test 7.9 MB: 50 MB holds either, not both
        SharedCache cache = SharedCache.bounded(50_000_000);
        FashionMnist small = new FashionMnist(cache);
        ImageDataset train = small.load("train", 0);
        assertEquals(60000 * 28 * 28 + 4L * 60000, train.sizeInBytes());
        assertSame(train, small.load("train", 0));
        ImageDataset test = small.load("test", 0);
        assertNotSame(train, small.load("train", 0), "loading test evicted train, so train is decoded again");
        assertNotSame(test, small.load("test", 0), "and reloading train evicted test");
        SharedCache.Stats stats = cache.stats();
        assertEquals(4, stats.loads());
        assertEquals(3, stats.evictions());
        assertTrue(stats.bytes() <= 50_000_000, stats.toString());
    }

    @Test
    void testSplitAndSubset() {
        IdxReaderTest.assumeRealFiles();
        ImageDataset test = fashionMnist.load("test", 0);
        assertEquals(10000, test.count());
        assertEquals("fashion-mnist-test", test.name());
        assertEquals(9, test.label(0));
        ImageDataset first = fashionMnist.load("test", 500);
        assertEquals(500, first.count());
        assertEquals(9, first.label(0));
        assertEquals(2, first.label(1));
        assertEquals(37 / 255f, first.image(0)[221]);
        assertSame(test, fashionMnist.load("t10k", 0));
    }

    @Test
    void missingDirectoryGivesOneInstallLine() {
        Path missing = tmp.resolve("no-such-dir");
        System.setProperty(FashionMnist.DIR_PROPERTY, missing.toString());
        assertEquals(missing, FashionMnist.directory());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fashionMnist.load("train", 0));
        assertEquals("Fashion-MNIST not found in " + missing
                + ": install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)",
                e.getMessage());
    }

    @Test
    void defaultDirectoryMessage() {
        assertEquals("Fashion-MNIST not found in /usr/share/datasets/fashion-mnist: install the Debian package "
                + "dataset-fashion-mnist (apt-get install dataset-fashion-mnist)",
                FashionMnist.notFoundMessage(Path.of(FashionMnist.DEFAULT_DIR)));
    }

    @Test
    void missingFileInExistingDirectory() {
        System.setProperty(FashionMnist.DIR_PROPERTY, tmp.toString());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fashionMnist.load("test", 0));
        assertEquals("Fashion-MNIST not found in " + tmp + " (no t10k-images-idx3-ubyte.gz): install the Debian "
                + "package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)", e.getMessage());
    }

    @Test
    void corruptFileNamesTheFileAndTheProblem() throws IOException {
        byte[] images = IdxReaderTest.imageFile(2, 28, 28, new byte[100]);
        IdxReaderTest.write(tmp, "t10k-images-idx3-ubyte.gz", images, true);
        IdxReaderTest.write(tmp, "t10k-labels-idx1-ubyte.gz", IdxReaderTest.labelFile(new byte[] {1, 2}), true);
        System.setProperty(FashionMnist.DIR_PROPERTY, tmp.toString());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fashionMnist.load("test", 0));
        assertEquals("Fashion-MNIST in " + tmp + " is unreadable: t10k-images-idx3-ubyte.gz: truncated data: "
                + "expected 1568 pixel bytes after the header, found 100 (reinstall dataset-fashion-mnist)",
                e.getMessage());
    }

    @Test
    void uncompressedFilesAndMismatchedCounts() throws IOException {
        byte[] pixels = new byte[3 * 4 * 4];
        pixels[5] = (byte) 255;
        IdxReaderTest.write(tmp, "train-images-idx3-ubyte", IdxReaderTest.imageFile(3, 4, 4, pixels), false);
        IdxReaderTest.write(tmp, "train-labels-idx1-ubyte", IdxReaderTest.labelFile(new byte[] {4, 5, 6}), false);
        System.setProperty(FashionMnist.DIR_PROPERTY, tmp.toString());
        ImageDataset small = fashionMnist.load("train", 0);
        assertEquals(3, small.count());
        assertEquals(4, small.height());
        assertEquals(1f, small.image(0)[5]);
        assertEquals(6, small.label(2));

        Path other = Files.createDirectory(tmp.resolve("other"));
        IdxReaderTest.write(other, "train-images-idx3-ubyte", IdxReaderTest.imageFile(3, 4, 4, pixels), false);
        IdxReaderTest.write(other, "train-labels-idx1-ubyte", IdxReaderTest.labelFile(new byte[] {4, 5}), false);
        System.setProperty(FashionMnist.DIR_PROPERTY, other.toString());
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> fashionMnist.load("train", 0));
        assertEquals("Fashion-MNIST train in " + other + " is inconsistent: 3 images but 2 labels", e.getMessage());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> fashionMnist.load("validation", 0));
        assertThrows(IllegalArgumentException.class, () -> fashionMnist.load(null, 0));
        assertThrows(IllegalArgumentException.class, () -> fashionMnist.load("train", -1));
    }
}
