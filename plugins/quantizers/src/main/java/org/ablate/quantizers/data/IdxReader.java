package org.ablate.quantizers.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the unsigned-byte IDX files of MNIST-style datasets, gzipped or plain (detected from the
 * first two bytes, not the file name).
 *
 * <p>Kept separate from {@link FashionMnist} so the file format can be tested on its own and
 * reused for other IDX datasets. Every failure is an {@link IOException} whose message is one
 * line naming the file and what was wrong: expected vs actual magic number, or how many bytes
 * were expected and found.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte IDX file with three dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte IDX file with one dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER_BYTES = 1 << 16;

    private IdxReader() {
    }

    /**
     * Images as stored: {@code count × rows × cols} unsigned bytes, row-major.
     *
     * @param pixels the raw bytes; read them with {@code pixels[i] & 0xFF}
     */
    public record Images(String source, int count, int rows, int cols, byte[] pixels) {

        /** Pixels scaled to [0, 1] ({@code byte / 255}), same layout (4× the memory of the bytes). */
        public float[] toUnitFloats() {
            float[] out = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                out[i] = (pixels[i] & 0xFF) / 255f;
            }
            return out;
        }
    }

    /** Reads an image file (magic {@code 0x00000803}, dimensions N, rows, cols). */
    public static Images readImages(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, name, "magic number");
            checkMagic(name, magic, IMAGES_MAGIC, "image");
            int count = readDimension(in, name, "image count");
            int rows = readDimension(in, name, "row count");
            int cols = readDimension(in, name, "column count");
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 16) {
                throw new IOException(name + ": " + count + "×" + rows + "×" + cols
                        + " images are too large to hold in one array");
            }
            byte[] pixels = readBody(in, name, (int) total, "pixel");
            return new Images(name, count, rows, cols, pixels);
        }
    }

    /** Reads a label file (magic {@code 0x00000801}, one dimension); labels are 0..255. */
    public static int[] readLabels(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, name, "magic number");
            checkMagic(name, magic, LABELS_MAGIC, "label");
            int count = readDimension(in, name, "label count");
            byte[] raw = readBody(in, name, count, "label");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }

    /** Opens the file, inserting a gunzip stage when it starts with the gzip magic 1f 8b. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found", e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot open (" + e.getClass().getSimpleName() + ")", e);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER_BYTES), BUFFER_BYTES);
            } catch (IOException e) {
                raw.close();
                throw new IOException(file.getFileName() + ": corrupt gzip header (" + e.getMessage() + ")", e);
            }
        }
        return raw;
    }

    private static void checkMagic(String name, int actual, int expected, String kind) throws IOException {
        if (actual != expected) {
            throw new IOException(String.format(
                    "%s: not an IDX %s file: magic number 0x%08x, expected 0x%08x", name, kind, actual, expected));
        }
    }

    private static int readDimension(InputStream in, String name, String what) throws IOException {
        int value = readHeaderInt(in, name, what);
        if (value < 0) {
            throw new IOException(name + ": corrupt header: " + what + " is negative (" + value + ")");
        }
        return value;
    }

    private static int readHeaderInt(InputStream in, String name, String what) throws IOException {
        byte[] b = readFully(in, name, 4);
        if (b.length < 4) {
            throw new IOException(name + ": truncated header: ended before the " + what
                    + " (" + b.length + " of 4 bytes)");
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static byte[] readBody(InputStream in, String name, int expected, String what) throws IOException {
        byte[] body = readFully(in, name, expected);
        if (body.length < expected) {
            throw new IOException(name + ": truncated data: expected " + expected + " " + what
                    + " bytes after the header, found " + body.length);
        }
        int extra = 0;
        byte[] probe = new byte[4096];
        for (int n; (n = readChunk(in, name, probe)) > 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw new IOException(name + ": " + extra + " unexpected bytes after the " + expected + " "
                    + what + " bytes the header announces");
        }
        return body;
    }

    /** Reads up to {@code n} bytes; a shorter array means the stream ended. */
    private static byte[] readFully(InputStream in, String name, int n) throws IOException {
        byte[] out = new byte[n];
        int got;
        try {
            got = in.readNBytes(out, 0, n);
        } catch (EOFException | ZipException e) {
            throw corrupt(name, e);
        }
        return got == n ? out : java.util.Arrays.copyOf(out, got);
    }

    private static int readChunk(InputStream in, String name, byte[] buf) throws IOException {
        try {
            return in.read(buf);
        } catch (EOFException | ZipException e) {
            throw corrupt(name, e);
        }
    }

    private static IOException corrupt(String name, IOException e) {
        return new IOException(name + ": corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
    }
}
