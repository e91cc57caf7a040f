package org.ablate.quantizers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    static final Path REAL = Path.of(FashionMnist.DEFAULT_DIR);

    @TempDir
    Path tmp;

    static void assumeRealFiles() {
        assumeTrue(Files.isRegularFile(REAL.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed in " + REAL);
    }

    // ------------------------------------------------------------ the real Fashion-MNIST files

    @Test
    void trainImagesHeaderAndContent() throws IOException {
        assumeRealFiles();
        IdxReader.Images images = IdxReader.readImages(REAL.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(60000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        assertEquals(60000 * 28 * 28, images.pixels().length);
        byte[] p = images.pixels();
        // First image (an ankle boot): its first nonzero pixels, read once with Python's gzip module.
        int[][] firstNonzero = {{96, 1}, {99, 13}, {100, 73}, {103, 1}, {104, 4}, {109, 1}, {110, 1}, {124, 3},
            {126, 36}, {127, 136}};
        int seen = 0;
        for (int i = 0; i < 784 && seen < firstNonzero.length; i++) {
            if (p[i] != 0) {
                assertEquals(firstNonzero[seen][0], i, "position of nonzero pixel #" + seen);
                assertEquals(firstNonzero[seen][1], p[i] & 0xFF, "value of nonzero pixel #" + seen);
                seen++;
            }
        }
        assertEquals(firstNonzero.length, seen);
        long firstSum = 0;
        int firstNonzeroCount = 0;
        for (int i = 0; i < 784; i++) {
            firstSum += p[i] & 0xFF;
            firstNonzeroCount += p[i] != 0 ? 1 : 0;
        }
        assertEquals(76247, firstSum);
        assertEquals(433, firstNonzeroCount);
        assertEquals(3431114169L, unsignedSum(p), "sum of all 47,040,000 train pixel bytes");
    }

    @Test
    void testImagesHeaderAndContent() throws IOException {
        assumeRealFiles();
        IdxReader.Images images = IdxReader.readImages(REAL.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(10000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.cols());
        byte[] p = images.pixels();
        assertEquals(3, p[215] & 0xFF);
        assertEquals(1, p[216] & 0xFF);
        assertEquals(7, p[219] & 0xFF);
        assertEquals(37, p[221] & 0xFF);
        for (int i = 0; i < 215; i++) {
            assertEquals(0, p[i], "pixel " + i + " of the first test image");
        }
        assertEquals(33456, unsignedSum(Arrays.copyOf(p, 784)));
        assertEquals(573469082L, unsignedSum(p), "sum of all test pixel bytes");
    }

    @Test
    void labels() throws IOException {
        assumeRealFiles();
        int[] train = IdxReader.readLabels(REAL.resolve("train-labels-idx1-ubyte.gz"));
        int[] test = IdxReader.readLabels(REAL.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(60000, train.length);
        assertEquals(10000, test.length);
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train, 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test, 10));
        int[] perClass = new int[10];
        for (int l : train) {
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c], "train images of class " + c);
        }
    }

    @Test
    void unitFloats() throws IOException {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        IdxReader.Images images = new IdxReader.Images("x", 1, 2, 2, pixels);
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, images.toUnitFloats());
    }

    // ------------------------------------------------------------ format handling on small files

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] file = imageFile(2, 2, 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Path plain = write("img-plain", file, false);
        Path gz = write("img.gz", file, true);
        for (Path p : new Path[] {plain, gz}) {
            IdxReader.Images images = IdxReader.readImages(p);
            assertEquals(2, images.count());
            assertEquals(2, images.rows());
            assertEquals(3, images.cols());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, images.pixels());
        }
        Path labels = write("labels.gz", labelFile(new byte[] {9, 0, (byte) 200}), true);
        assertArrayEquals(new int[] {9, 0, 200}, IdxReader.readLabels(labels));
    }

    @Test
    void emptyFileOfZeroImages() throws IOException {
        Path p = write("empty.gz", imageFile(0, 28, 28, new byte[0]), true);
        assertEquals(0, IdxReader.readImages(p).count());
    }

    @Test
    void wrongMagicNamesFileAndBothNumbers() throws IOException {
        Path labels = write("labels-idx1.gz", labelFile(new byte[] {1, 2}), true);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(labels));
        assertEquals("labels-idx1.gz: not an IDX image file: magic number 0x00000801, expected 0x00000803",
                e.getMessage());
        Path images = write("images-idx3", imageFile(1, 1, 1, new byte[] {5}), false);
        IOException e2 = assertThrows(IOException.class, () -> IdxReader.readLabels(images));
        assertEquals("images-idx3: not an IDX label file: magic number 0x00000803, expected 0x00000801",
                e2.getMessage());
    }

    @Test
    void truncatedDataSaysHowMuchIsMissing() throws IOException {
        byte[] full = imageFile(3, 28, 28, new byte[3 * 784]);
        Path p = write("short.gz", Arrays.copyOf(full, 16 + 100), true);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertEquals("short.gz: truncated data: expected 2352 pixel bytes after the header, found 100",
                e.getMessage());
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = write("tiny", new byte[] {0, 0, 8, 3, 0, 0}, false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertEquals("tiny: truncated header: ended before the image count (2 of 4 bytes)", e.getMessage());
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] pixels = new byte[50 * 784];
        new java.util.Random(1).nextBytes(pixels);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(imageFile(50, 28, 28, pixels));
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        Path p = write("cut.gz", cut, false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().startsWith("cut.gz: corrupt or truncated gzip stream ("), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] file = imageFile(1, 2, 2, new byte[] {1, 2, 3, 4});
        Path p = write("long", Arrays.copyOf(file, file.length + 3), false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertEquals("long: 3 unexpected bytes after the 4 pixel bytes the header announces", e.getMessage());
    }

    @Test
    void negativeDimension() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(-1).putInt(28).putInt(28);
        Path p = write("neg", b.array(), false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertEquals("neg: corrupt header: image count is negative (-1)", e.getMessage());
    }

    @Test
    void missingFile() {
        Path p = tmp.resolve("nope.gz");
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(p));
        assertEquals(p + ": file not found", e.getMessage());
    }

    // ------------------------------------------------------------ helpers

    static long unsignedSum(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) {
            sum += b & 0xFF;
        }
        return sum;
    }

    static byte[] imageFile(int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows)
                .putInt(cols).put(pixels).array();
    }

    static byte[] labelFile(byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(IdxReader.LABELS_MAGIC).putInt(labels.length)
                .put(labels).array();
    }

    Path write(String name, byte[] content, boolean gzip) throws IOException {
        return write(tmp, name, content, gzip);
    }

    static Path write(Path dir, String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        if (gzip) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(content);
            }
        } else {
            Files.write(p, content);
        }
        return p;
    }
}
