package org.ablate.quantizers.data;

import java.util.Random;

/**
 * A seeded Gaussian mixture in image space, a stand-in for Fashion-MNIST in fast tests.
 *
 * <p>Each class has a smooth prototype image (a sum of a few random Gaussian blobs, clipped to
 * [0, 1]); a sample is its class's prototype plus i.i.d. Gaussian pixel noise, clipped to [0, 1].
 * The data therefore has real cluster structure (a quantizer has something to find) while costing
 * nothing to make. Output depends only on the arguments: prototypes come from one stream seeded by
 * {@code seed} and samples from another, so the first {@code n} images of a larger set equal a set
 * of {@code n}.
 */
public final class SyntheticImages {

    /** Default per-pixel noise standard deviation. */
    public static final double DEFAULT_NOISE = 0.1;

    private static final long SAMPLE_STREAM = 0x9E3779B97F4A7C15L;

    private SyntheticImages() {
    }

    /** {@code count} 28×28 images of {@code classes} classes, noise σ = {@value #DEFAULT_NOISE}. */
    public static ImageDataset generate(int count, int classes, long seed) {
        return generate(count, classes, seed, FashionMnist.SIZE, FashionMnist.SIZE, DEFAULT_NOISE);
    }

    /**
     * {@code count} images of {@code height × width} in {@code classes} classes; labels are drawn
     * uniformly.
     *
     * @param noise standard deviation of the per-pixel Gaussian noise (before clipping)
     */
    public static ImageDataset generate(int count, int classes, long seed, int height, int width, double noise) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "×" + width);
        }
        if (!(noise >= 0)) {
            throw new IllegalArgumentException("noise must be >= 0, got " + noise);
        }
        int hw = height * width;
        float[][] prototypes = prototypes(classes, height, width, new Random(seed));
        Random rng = new Random(seed ^ SAMPLE_STREAM);
        float[] pixels = new float[Math.multiplyExact(count, hw)];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int c = rng.nextInt(classes);
            labels[i] = c;
            float[] proto = prototypes[c];
            int base = i * hw;
            for (int p = 0; p < hw; p++) {
                pixels[base + p] = clip(proto[p] + noise * rng.nextGaussian());
            }
        }
        String name = "synthetic-" + classes + "c-seed" + seed;
        return ImageDataset.wrap(name, pixels, labels, height, width);
    }

    /** One smooth image per class: 2–5 Gaussian blobs of random centre, width and brightness. */
    private static float[][] prototypes(int classes, int height, int width, Random rng) {
        float[][] out = new float[classes][height * width];
        double scale = Math.min(height, width) / 28.0;
        for (int c = 0; c < classes; c++) {
            double[] img = new double[height * width];
            int blobs = 2 + rng.nextInt(4);
            for (int k = 0; k < blobs; k++) {
                double cy = height * (0.2 + 0.6 * rng.nextDouble());
                double cx = width * (0.2 + 0.6 * rng.nextDouble());
                double sy = scale * (1.5 + 3.0 * rng.nextDouble());
                double sx = scale * (1.5 + 3.0 * rng.nextDouble());
                double amp = 0.5 + 0.5 * rng.nextDouble();
                for (int y = 0; y < height; y++) {
                    double dy = (y + 0.5 - cy) / sy;
                    for (int x = 0; x < width; x++) {
                        double dx = (x + 0.5 - cx) / sx;
                        img[y * width + x] += amp * Math.exp(-0.5 * (dx * dx + dy * dy));
                    }
                }
            }
            for (int p = 0; p < img.length; p++) {
                out[c][p] = clip(img[p]);
            }
        }
        return out;
    }

    private static float clip(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }
}
