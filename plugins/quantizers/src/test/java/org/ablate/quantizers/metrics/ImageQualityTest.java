package org.ablate.quantizers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageQualityTest {

    /** A structured image and a noisy copy; all values are multiples of 1/64, exact in float. */
    static float[][] pairA(int h, int w) {
        float[] x = new float[h * w];
        float[] y = new float[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                float v = (((i * 5 + j * 3) % 32) + ((i * j) % 7) * 4) / 64f;
                x[i * w + j] = v;
                y[i * w + j] = Math.min(1f, Math.max(0f, v + ((i * 31 + j * 17) % 11 - 5) / 64f));
            }
        }
        return new float[][] {x, y};
    }

    /** A second pattern with values that are multiples of 1/256, on a non-square image. */
    static float[][] pairB(int h, int w) {
        float[] x = new float[h * w];
        float[] y = new float[h * w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                float v = ((3 * i + 7 * j + i * j) % 256) / 256f;
                x[i * w + j] = v;
                y[i * w + j] = Math.min(1f, Math.max(0f, v + ((5 * i + 11 * j) % 9 - 4) / 32f));
            }
        }
        return new float[][] {x, y};
    }

    // ------------------------------------------------------------ PSNR / MSE

    @Test
    void identicalImages() {
        float[][] p = pairA(28, 28);
        assertEquals(0.0, ImageQuality.mse(p[0], p[0]));
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.psnr(p[0], p[0]));
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.meanPsnr(p[0], p[0], 28 * 28));
        assertEquals(1.0, ImageQuality.ssim(p[0], p[0], 28, 28), 1e-15);
        assertEquals(1.0, ImageQuality.ssim(p[1], p[1], 28, 28), 1e-15);
    }

    @Test
    void constantOffsetHasExactPsnr() {
        float[] x = new float[100];
        float[] y = new float[100];
        for (int i = 0; i < 100; i++) {
            x[i] = (i % 10) / 16f;
            y[i] = x[i] + 1 / 16f;
        }
        assertEquals(1.0 / 256, ImageQuality.mse(x, y), 0);
        assertEquals(20 * Math.log10(16), ImageQuality.psnr(x, y), 1e-12);
        assertEquals(20 * Math.log10(16), ImageQuality.meanPsnr(x, y, 25), 1e-12);
        assertEquals(20.0, ImageQuality.psnrFromMse(0.01), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.psnrFromMse(0));
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.psnrFromMse(-1));
    }

    @Test
    void meanPsnrAveragesPerImageValues() {
        float[] x = new float[8];
        float[] y = new float[8];
        y[0] = 0.5f; // image 0: MSE 0.25/4
        y[4] = 0.25f; // image 1: MSE 0.0625/4
        double expected = (ImageQuality.psnrFromMse(0.0625) + ImageQuality.psnrFromMse(0.015625)) / 2;
        assertEquals(expected, ImageQuality.meanPsnr(x, y, 4), 1e-12);
        assertEquals(ImageQuality.psnrFromMse((0.25 + 0.0625) / 8), ImageQuality.psnr(x, y), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.meanPsnr(x, y, 3));
    }

    @Test
    void psnrMatchesScikitImage() {
        // skimage.metrics.peak_signal_noise_ratio(x, y, data_range=1.0), scikit-image 0.26.0.
        float[][] a = pairA(28, 28);
        assertEquals(26.191149697222038, ImageQuality.psnr(a[0], a[1]), 1e-9);
        assertEquals(0.0024037263831313774, ImageQuality.mse(a[0], a[1]), 1e-15);
        float[][] b = pairB(16, 20);
        assertEquals(22.093601405263342, ImageQuality.psnr(b[0], b[1]), 1e-9);
    }

    // ------------------------------------------------------------ SSIM

    @Test
    void ssimMatchesScikitImage() {
        // skimage.metrics.structural_similarity(x, y, gaussian_weights=True, sigma=1.5,
        //     use_sample_covariance=False, data_range=1.0) on float64 copies, scikit-image 0.26.0.
        float[][] a = pairA(28, 28);
        assertEquals(0.9663039104179525, ImageQuality.ssim(a[0], a[1], 28, 28), 1e-9);
        float[][] b = pairB(16, 20);
        assertEquals(0.8322983157361858, ImageQuality.ssim(b[0], b[1], 16, 20), 1e-9);
        float[][] c = pairA(12, 13);
        assertEquals(0.9600740215886052, ImageQuality.ssim(c[0], c[1], 12, 13), 1e-9);
    }

    @Test
    void ssimMatchesADirectImplementationOfTheDefinition() {
        float[][] c = pairA(12, 13);
        assertEquals(directSsim(c[0], c[1], 12, 13), ImageQuality.ssim(c[0], c[1], 12, 13), 1e-12);
        Random rng = new Random(11);
        float[] x = new float[15 * 14];
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
            y[i] = Math.min(1f, Math.max(0f, x[i] + 0.2f * (float) rng.nextGaussian()));
        }
        double direct = directSsim(x, y, 15, 14);
        assertEquals(direct, ImageQuality.ssim(x, y, 15, 14), 1e-12);
        assertTrue(direct > 0.2 && direct < 0.95, "noisy copy SSIM " + direct);
    }

    /**
     * SSIM written straight from Wang et al. (2004), independent of the production code: an
     * explicit 11×11 Gaussian window (σ = 1.5, normalised), weighted means, weighted population
     * variances and covariance computed as Σ w (x − μx)(y − μy), the SSIM formula at every window
     * position fully inside the image, averaged.
     */
    static double directSsim(float[] x, float[] y, int h, int w) {
        double[][] win = new double[11][11];
        double sum = 0;
        for (int a = -5; a <= 5; a++) {
            for (int b = -5; b <= 5; b++) {
                win[a + 5][b + 5] = Math.exp(-(a * a + b * b) / (2 * 1.5 * 1.5));
                sum += win[a + 5][b + 5];
            }
        }
        double c1 = 0.01 * 0.01;
        double c2 = 0.03 * 0.03;
        double total = 0;
        int positions = 0;
        for (int i = 5; i < h - 5; i++) {
            for (int j = 5; j < w - 5; j++) {
                double mx = 0;
                double my = 0;
                for (int a = -5; a <= 5; a++) {
                    for (int b = -5; b <= 5; b++) {
                        double wt = win[a + 5][b + 5] / sum;
                        mx += wt * x[(i + a) * w + j + b];
                        my += wt * y[(i + a) * w + j + b];
                    }
                }
                double vx = 0;
                double vy = 0;
                double cxy = 0;
                for (int a = -5; a <= 5; a++) {
                    for (int b = -5; b <= 5; b++) {
                        double wt = win[a + 5][b + 5] / sum;
                        double dx = x[(i + a) * w + j + b] - mx;
                        double dy = y[(i + a) * w + j + b] - my;
                        vx += wt * dx * dx;
                        vy += wt * dy * dy;
                        cxy += wt * dx * dy;
                    }
                }
                total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                positions++;
            }
        }
        return total / positions;
    }

    @Test
    void ssimIsSymmetricAndLowerForMoreNoise() {
        float[][] a = pairA(28, 28);
        assertEquals(ImageQuality.ssim(a[0], a[1], 28, 28), ImageQuality.ssim(a[1], a[0], 28, 28), 1e-15);
        Random rng = new Random(3);
        float[] mild = new float[784];
        float[] strong = new float[784];
        for (int i = 0; i < 784; i++) {
            double n = rng.nextGaussian();
            mild[i] = Math.min(1f, Math.max(0f, a[0][i] + (float) (0.02 * n)));
            strong[i] = Math.min(1f, Math.max(0f, a[0][i] + (float) (0.2 * n)));
        }
        assertTrue(ImageQuality.ssim(a[0], mild, 28, 28) > ImageQuality.ssim(a[0], strong, 28, 28));
    }

    @Test
    void meanSsimAveragesImagesAndAcceptsNd4jBatches() {
        float[][] a = pairA(28, 28);
        float[] xs = new float[2 * 784];
        float[] ys = new float[2 * 784];
        System.arraycopy(a[0], 0, xs, 0, 784);
        System.arraycopy(a[1], 0, ys, 0, 784);
        System.arraycopy(a[0], 0, xs, 784, 784);
        System.arraycopy(a[0], 0, ys, 784, 784);
        double expected = (0.9663039104179525 + 1.0) / 2;
        assertEquals(expected, ImageQuality.meanSsim(xs, ys, 28, 28), 1e-9);
        try (INDArray x4 = Nd4j.create(xs, new long[] {2, 1, 28, 28}, 'c');
                INDArray y4 = Nd4j.create(ys, new long[] {2, 1, 28, 28}, 'c');
                INDArray x3 = Nd4j.create(xs, new long[] {2, 28, 28}, 'c');
                INDArray y3 = Nd4j.create(ys, new long[] {2, 28, 28}, 'c')) {
            assertEquals(expected, ImageQuality.meanSsim(x4, y4), 1e-9);
            assertEquals(expected, ImageQuality.meanSsim(x3, y3), 1e-9);
            assertEquals(ImageQuality.mse(xs, ys), ImageQuality.mse(x4, y4), 0);
            assertEquals(ImageQuality.meanPsnr(x4, y4), Double.POSITIVE_INFINITY);
            assertEquals(ImageQuality.psnr(xs, ys), ImageQuality.psnr(x4, y4), 0);
            // An F-ordered copy holds the same images.
            assertEquals(expected, ImageQuality.meanSsim(x4.dup('f'), y4.dup('f')), 1e-9);
        }
    }

    @Test
    void windowIsTheNormalisedGaussian() {
        double[] w = ImageQuality.ssimWindow();
        assertEquals(11, w.length);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-15);
        assertEquals(Math.exp(-0.5 * 25 / 2.25), w[0] / w[5], 1e-15);
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.ssim(new float[100], new float[100], 10, 10));
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.ssim(new float[144], new float[143], 12, 12));
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.ssim(new float[144], new float[144], 12, 11));
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.meanSsim(new float[300], new float[300], 12, 12));
        try (INDArray rgb = Nd4j.zeros(2, 3, 12, 12)) {
            assertThrows(IllegalArgumentException.class, () -> ImageQuality.meanSsim(rgb, rgb));
        }
    }
}
