package org.ablate.quantizers.metrics;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reconstruction quality of images with pixels in [0, 1]: MSE, PSNR and SSIM, the measures the
 * SimVQ paper reports next to codebook utilisation.
 *
 * <p>Conventions (data range 1.0 throughout):
 * <ul>
 *   <li><b>PSNR</b> = {@code 10·log10(1 / MSE)}. Identical images have MSE 0 and PSNR
 *       {@link Double#POSITIVE_INFINITY} — deliberately not capped, so a perfect reconstruction
 *       (usually a bug in an autoencoder) is visible rather than disguised as "100 dB".
 *       {@link #meanPsnr} averages per-image PSNR (the paper's convention) and is therefore +∞ if
 *       any image is reconstructed exactly; {@link #psnr} is the PSNR of the pooled MSE.</li>
 *   <li><b>SSIM</b> follows Wang et al. (2004) exactly as scikit-image's
 *       {@code structural_similarity(x, y, data_range=1.0, gaussian_weights=True, sigma=1.5,
 *       use_sample_covariance=False)} computes it on float64 data: an 11×11 Gaussian window
 *       (σ = 1.5, truncated at radius 5, normalised to sum 1), K1 = 0.01, K2 = 0.03,
 *       population (not sample) covariances, {@code σ² = E[x²] − E[x]²}, and the mean of the SSIM
 *       map over the window positions that lie wholly inside the image ((H−10)×(W−10) of them: the
 *       border strip is dropped, so padding never matters). Multi-image calls average the
 *       per-image means. Images must be at least 11×11.</li>
 * </ul>
 * Arithmetic is in double precision; ND4J inputs are read as float32 (model outputs are).
 */
public final class ImageQuality {

    /** SSIM window radius: {@code int(3.5·σ + 0.5)} with σ = 1.5, as scikit-image computes it. */
    public static final int SSIM_RADIUS = 5;
    /** SSIM window side, {@code 2·radius + 1}. */
    public static final int SSIM_WINDOW = 2 * SSIM_RADIUS + 1;
    /** Gaussian window σ. */
    public static final double SSIM_SIGMA = 1.5;
    /** SSIM stabiliser constants for data range 1. */
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;

    private static final double C1 = K1 * K1;
    private static final double C2 = K2 * K2;
    private static final double[] WEIGHTS = gaussianWindow();

    private ImageQuality() {
    }

    /** The normalised 1-D Gaussian window (11 taps); the 2-D window is its outer product. */
    public static double[] ssimWindow() {
        return WEIGHTS.clone();
    }

    // ---------------------------------------------------------------- MSE / PSNR

    /** Mean squared error over all elements. */
    public static double mse(float[] x, float[] y) {
        checkSameLength(x, y);
        return mse(x, 0, y, 0, x.length);
    }

    /** Mean squared error over all elements of two arrays of the same length (any shape). */
    public static double mse(INDArray x, INDArray y) {
        return mse(host(x), host(y));
    }

    /** PSNR for a given MSE, data range 1: {@code 10·log10(1/mse)}; +∞ when {@code mse == 0}. */
    public static double psnrFromMse(double mse) {
        if (mse < 0 || Double.isNaN(mse)) {
            throw new IllegalArgumentException("MSE must be >= 0, got " + mse);
        }
        return mse == 0.0 ? Double.POSITIVE_INFINITY : -10.0 * Math.log10(mse);
    }

    /** PSNR of the MSE pooled over all elements; +∞ when identical. */
    public static double psnr(float[] x, float[] y) {
        return psnrFromMse(mse(x, y));
    }

    /** PSNR of the MSE pooled over all elements; +∞ when identical. */
    public static double psnr(INDArray x, INDArray y) {
        return psnrFromMse(mse(x, y));
    }

    /**
     * Mean over images of per-image PSNR; +∞ if any image is identical to its reconstruction.
     *
     * @param pixelsPerImage {@code height·width}; the arrays hold {@code length / pixelsPerImage}
     *                       images back to back
     */
    public static double meanPsnr(float[] x, float[] y, int pixelsPerImage) {
        int n = imageCount(x, y, pixelsPerImage);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += psnrFromMse(mse(x, i * pixelsPerImage, y, i * pixelsPerImage, pixelsPerImage));
        }
        return sum / n;
    }

    /** Mean per-image PSNR of {@code [B, ..., H, W]} arrays (images are the leading dimension). */
    public static double meanPsnr(INDArray x, INDArray y) {
        checkSameShape(x, y);
        return meanPsnr(host(x), host(y), Math.toIntExact(x.length() / x.size(0)));
    }

    // ---------------------------------------------------------------- SSIM

    /** SSIM of one pair of {@code height × width} images (row-major). */
    public static double ssim(float[] x, float[] y, int height, int width) {
        checkSameLength(x, y);
        if (x.length != (long) height * width) {
            throw new IllegalArgumentException("expected " + height + "×" + width + " = " + (long) height * width
                    + " pixels, got " + x.length);
        }
        return ssim(x, 0, y, 0, height, width, new Scratch(height, width));
    }

    /**
     * Mean SSIM over images stored back to back ({@code length / (height·width)} of them).
     */
    public static double meanSsim(float[] x, float[] y, int height, int width) {
        int hw = height * width;
        int n = imageCount(x, y, hw);
        Scratch scratch = new Scratch(height, width);
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += ssim(x, i * hw, y, i * hw, height, width, scratch);
        }
        return sum / n;
    }

    /**
     * Mean SSIM of {@code [B, H, W]} or {@code [B, 1, H, W]} arrays (single-channel images; the
     * last two dimensions are height and width).
     */
    public static double meanSsim(INDArray x, INDArray y) {
        checkSameShape(x, y);
        int rank = x.rank();
        if (rank < 2) {
            throw new IllegalArgumentException("SSIM needs images, got shape " + Arrays.toString(x.shape()));
        }
        if (rank == 4 && x.size(1) != 1) {
            throw new IllegalArgumentException("SSIM here is for single-channel images, got shape "
                    + Arrays.toString(x.shape()));
        }
        int h = Math.toIntExact(x.size(rank - 2));
        int w = Math.toIntExact(x.size(rank - 1));
        return meanSsim(host(x), host(y), h, w);
    }

    /** Per-call buffers for the separable filter (five horizontally filtered maps). */
    private static final class Scratch {
        final double[] mx;
        final double[] my;
        final double[] mxx;
        final double[] myy;
        final double[] mxy;

        Scratch(int height, int width) {
            if (height < SSIM_WINDOW || width < SSIM_WINDOW) {
                throw new IllegalArgumentException("SSIM needs images of at least " + SSIM_WINDOW + "×" + SSIM_WINDOW
                        + " (the Gaussian window), got " + height + "×" + width);
            }
            int n = height * (width - 2 * SSIM_RADIUS);
            mx = new double[n];
            my = new double[n];
            mxx = new double[n];
            myy = new double[n];
            mxy = new double[n];
        }
    }

    private static double ssim(float[] x, int xo, float[] y, int yo, int height, int width, Scratch s) {
        final int r = SSIM_RADIUS;
        final int vw = width - 2 * r;
        final int vh = height - 2 * r;
        // Horizontal pass over every row, valid columns only.
        for (int row = 0; row < height; row++) {
            int xr = xo + row * width;
            int yr = yo + row * width;
            for (int c = 0; c < vw; c++) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int k = 0; k < SSIM_WINDOW; k++) {
                    double g = WEIGHTS[k];
                    double a = x[xr + c + k];
                    double b = y[yr + c + k];
                    sx += g * a;
                    sy += g * b;
                    sxx += g * (a * a);
                    syy += g * (b * b);
                    sxy += g * (a * b);
                }
                int o = row * vw + c;
                s.mx[o] = sx;
                s.my[o] = sy;
                s.mxx[o] = sxx;
                s.myy[o] = syy;
                s.mxy[o] = sxy;
            }
        }
        // Vertical pass at valid rows, then the SSIM map, summed.
        double total = 0.0;
        for (int row = 0; row < vh; row++) {
            for (int c = 0; c < vw; c++) {
                double ux = 0;
                double uy = 0;
                double uxx = 0;
                double uyy = 0;
                double uxy = 0;
                for (int k = 0; k < SSIM_WINDOW; k++) {
                    double g = WEIGHTS[k];
                    int o = (row + k) * vw + c;
                    ux += g * s.mx[o];
                    uy += g * s.my[o];
                    uxx += g * s.mxx[o];
                    uyy += g * s.myy[o];
                    uxy += g * s.mxy[o];
                }
                double vx = uxx - ux * ux;
                double vy = uyy - uy * uy;
                double vxy = uxy - ux * uy;
                double num = (2 * ux * uy + C1) * (2 * vxy + C2);
                double den = (ux * ux + uy * uy + C1) * (vx + vy + C2);
                total += num / den;
            }
        }
        return total / ((double) vh * vw);
    }

    private static double[] gaussianWindow() {
        double[] w = new double[SSIM_WINDOW];
        double sum = 0.0;
        for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++) {
            double v = Math.exp(-0.5 * k * k / (SSIM_SIGMA * SSIM_SIGMA));
            w[k + SSIM_RADIUS] = v;
            sum += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    // ---------------------------------------------------------------- helpers

    private static double mse(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            throw new IllegalArgumentException("MSE of empty arrays");
        }
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double d = (double) x[xo + i] - (double) y[yo + i];
            sum += d * d;
        }
        return sum / n;
    }

    private static int imageCount(float[] x, float[] y, int pixelsPerImage) {
        checkSameLength(x, y);
        if (pixelsPerImage <= 0 || x.length % pixelsPerImage != 0 || x.length == 0) {
            throw new IllegalArgumentException(x.length + " pixels are not a positive whole number of images of "
                    + pixelsPerImage + " pixels");
        }
        return x.length / pixelsPerImage;
    }

    private static void checkSameLength(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("arrays differ in length: " + x.length + " vs " + y.length);
        }
    }

    private static void checkSameShape(INDArray x, INDArray y) {
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("shapes differ: " + Arrays.toString(x.shape()) + " vs "
                    + Arrays.toString(y.shape()));
        }
    }

    /** The elements of {@code a} in C order as floats (also used by {@link ImageArtifacts}). */
    static float[] host(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            try (INDArray f = a.castTo(DataType.FLOAT)) {
                return host(f);
            }
        }
        if (!a.isView() && a.ordering() == 'c' && a.data().length() == a.length()) {
            return a.data().asFloat();
        }
        // A dense C-order copy, closed at once (ND4J memory is off-heap).
        try (INDArray dense = a.dup('c')) {
            return dense.data().asFloat();
        }
    }
}
