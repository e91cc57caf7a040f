package org.ablate.quantizers.data;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable, labelled set of single-channel images with pixel values in [0, 1], laid out
 * row-major {@code count × height × width}.
 *
 * <p>Mini-batches come out as float arrays or ND4J arrays, or are written into a reused ND4J
 * buffer ({@link #batchInto}) — allocation is the expensive part of a training step on this VM.
 * Pixels that came from 8-bit files are kept as their bytes and scaled ({@code b / 255f}) when a
 * batch is built: the 60k Fashion-MNIST training set is then 47 MB instead of 188 MB, and loads
 * several times faster because fresh memory is slow to touch here. The storage never leaves the
 * class; every accessor returns copies.
 */
public final class ImageDataset {

    private static final float[] UNIT = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            UNIT[b] = b / 255f;
        }
    }

    private final String name;
    /** Exactly one of {@code floats} and {@code bytes} is non-null. */
    private final float[] floats;
    private final byte[] bytes;
    private final int[] labels;
    private final int count;
    private final int height;
    private final int width;

    private ImageDataset(String name, float[] floats, byte[] bytes, int[] labels, int height, int width) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "×" + width);
        }
        long expected = (long) labels.length * height * width;
        int actual = floats != null ? floats.length : bytes.length;
        if (actual != expected) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels of " + height + "×" + width
                    + " images need " + expected + " pixels, got " + actual);
        }
        this.floats = floats;
        this.bytes = bytes;
        this.labels = labels;
        this.count = labels.length;
        this.height = height;
        this.width = width;
    }

    /**
     * A dataset over copies of the given arrays.
     *
     * @param pixels row-major {@code labels.length × height × width}, values expected in [0, 1]
     */
    public static ImageDataset of(String name, float[] pixels, int[] labels, int height, int width) {
        return new ImageDataset(name, pixels.clone(), null, labels.clone(), height, width);
    }

    /**
     * A dataset over copies of 8-bit pixels (read unsigned, {@code b & 0xFF}); pixel values are
     * {@code b / 255f}.
     */
    public static ImageDataset ofUnsignedBytes(String name, byte[] pixels, int[] labels, int height, int width) {
        return new ImageDataset(name, null, pixels.clone(), labels.clone(), height, width);
    }

    /** Takes ownership of the arrays without copying; for loaders in this package only. */
    static ImageDataset wrap(String name, float[] pixels, int[] labels, int height, int width) {
        return new ImageDataset(name, Objects.requireNonNull(pixels, "pixels"), null, labels, height, width);
    }

    /** Takes ownership of 8-bit pixels without copying; for loaders in this package only. */
    static ImageDataset wrapUnsignedBytes(String name, byte[] pixels, int[] labels, int height, int width) {
        return new ImageDataset(name, null, Objects.requireNonNull(pixels, "pixels"), labels, height, width);
    }

    public String name() {
        return name;
    }

    /** What the pixels and labels occupy in memory. */
    public long sizeInBytes() {
        return (floats != null ? 4L * floats.length : bytes.length) + 4L * labels.length;
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** {@code height × width}. */
    public int pixelsPerImage() {
        return height * width;
    }

    /** Label of image {@code i}. */
    public int label(int i) {
        Objects.checkIndex(i, count);
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The labels of the given images. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            out[b] = label(indices[b]);
        }
        return out;
    }

    /** Largest label + 1 (0 for an empty dataset). */
    public int classCount() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** Pixel {@code p} (row-major index {@code y·width + x}) of image {@code i}. */
    public float pixel(int i, int p) {
        Objects.checkIndex(i, count);
        Objects.checkIndex(p, pixelsPerImage());
        int at = i * pixelsPerImage() + p;
        return floats != null ? floats[at] : UNIT[bytes[at] & 0xFF];
    }

    /** A copy of image {@code i}, row-major {@code height × width}. */
    public float[] image(int i) {
        Objects.checkIndex(i, count);
        float[] out = new float[pixelsPerImage()];
        copyImage(i, out, 0);
        return out;
    }

    /**
     * A copy of every pixel, row-major {@code count × height × width} (for Fashion-MNIST's train
     * split that is 188 MB: prefer batches).
     */
    public float[] allPixels() {
        float[] out = new float[Math.multiplyExact(count, pixelsPerImage())];
        if (floats != null) {
            System.arraycopy(floats, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = UNIT[bytes[i] & 0xFF];
            }
        }
        return out;
    }

    /** The first {@code n} images (this dataset itself when {@code n >= count()}). */
    public ImageDataset subset(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("subset size must be >= 0, got " + n);
        }
        if (n >= count) {
            return this;
        }
        int len = n * pixelsPerImage();
        String sub = name + "[0:" + n + "]";
        int[] subLabels = Arrays.copyOf(labels, n);
        return floats != null
                ? new ImageDataset(sub, Arrays.copyOf(floats, len), null, subLabels, height, width)
                : new ImageDataset(sub, null, Arrays.copyOf(bytes, len), subLabels, height, width);
    }

    /** The pixels of the given images, row-major {@code indices.length × height × width}. */
    public float[] batchPixels(int[] indices) {
        float[] out = new float[indices.length * pixelsPerImage()];
        batchPixels(indices, out);
        return out;
    }

    /** Writes the pixels of the given images into {@code out} (at least {@code B·H·W} long). */
    public void batchPixels(int[] indices, float[] out) {
        int hw = pixelsPerImage();
        if (out.length < (long) indices.length * hw) {
            throw new IllegalArgumentException("buffer holds " + out.length + " floats, batch needs "
                    + (long) indices.length * hw);
        }
        for (int b = 0; b < indices.length; b++) {
            Objects.checkIndex(indices[b], count);
            copyImage(indices[b], out, b * hw);
        }
    }

    /** A new float32 C-order array {@code [B, 1, height, width]} of the given images. */
    public INDArray batch(int[] indices) {
        return Nd4j.create(batchPixels(indices), new long[] {indices.length, 1, height, width}, 'c');
    }

    /** A new float32 C-order array {@code [B, height·width]} of the given images (for MLPs). */
    public INDArray batchFlat(int[] indices) {
        return Nd4j.create(batchPixels(indices), new long[] {indices.length, pixelsPerImage()}, 'c');
    }

    /**
     * Writes the given images into an existing float32 array of exactly {@code B·height·width}
     * elements (any shape, e.g. {@code [B,1,H,W]} or {@code [B,H·W]}), so a training loop can reuse
     * one ND4J buffer. A C-order array that owns its buffer is filled with one host-to-buffer copy
     * (backend-agnostic: no direct pointer writes); anything else (a view, F-order) goes through a
     * temporary array that is closed at once.
     */
    public void batchInto(int[] indices, INDArray out) {
        long need = (long) indices.length * pixelsPerImage();
        if (out.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("batch buffer must be FLOAT, got " + out.dataType());
        }
        if (out.length() != need) {
            throw new IllegalArgumentException("batch buffer has " + out.length() + " elements, batch of "
                    + indices.length + " needs " + need);
        }
        float[] host = batchPixels(indices);
        if (!out.isView() && out.ordering() == 'c' && out.data().length() == need) {
            out.data().setData(host);
        } else {
            try (INDArray tmp = Nd4j.create(host, out.shape(), 'c')) {
                out.assign(tmp);
            }
        }
    }

    private void copyImage(int i, float[] dst, int off) {
        int hw = pixelsPerImage();
        int from = i * hw;
        if (floats != null) {
            System.arraycopy(floats, from, dst, off, hw);
        } else {
            for (int p = 0; p < hw; p++) {
                dst[off + p] = UNIT[bytes[from + p] & 0xFF];
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + count + " images of " + height + "×" + width + ")";
    }
}
