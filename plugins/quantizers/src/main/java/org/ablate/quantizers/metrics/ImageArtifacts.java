package org.ablate.quantizers.metrics;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PNG artifacts a person looks at to judge a quantizer: a grid of originals above their
 * reconstructions, and a chart of how evenly the codes are used (collapse shows as a short, steep
 * curve). Both write to an {@link OutputStream} so the caller decides where artifacts go (a run
 * store, an MLflow upload). Rendering is headless: loading this class sets
 * {@code java.awt.headless=true} unless it was already set.
 */
public final class ImageArtifacts {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Grey of the gaps between tiles (0–255), distinct from Fashion-MNIST's black background. */
    public static final int GAP_GREY = 128;
    /** Default code-usage chart size in pixels. */
    public static final int CHART_WIDTH = 900;
    public static final int CHART_HEIGHT = 540;

    private ImageArtifacts() {
    }

    // ---------------------------------------------------------------- reconstruction grid

    /**
     * The grid as an image: images in rows of {@code columns}; each row of originals is directly
     * above the row of their reconstructions; tiles are scaled by {@code scale} (nearest
     * neighbour) and separated by {@code scale}-pixel grey gaps. Pixel values are clipped to
     * [0, 1] and mapped to 0–255 grey.
     *
     * @param originals       {@code count × height × width}, row-major
     * @param reconstructions same layout and length
     */
    public static BufferedImage reconstructionGrid(float[] originals, float[] reconstructions, int height, int width,
            int columns, int scale) {
        if (originals.length != reconstructions.length) {
            throw new IllegalArgumentException("originals and reconstructions differ in length: " + originals.length
                    + " vs " + reconstructions.length);
        }
        if (height <= 0 || width <= 0 || columns <= 0 || scale <= 0) {
            throw new IllegalArgumentException("height, width, columns and scale must be positive");
        }
        int hw = height * width;
        if (originals.length == 0 || originals.length % hw != 0) {
            throw new IllegalArgumentException(originals.length + " pixels are not a positive whole number of "
                    + height + "×" + width + " images");
        }
        int count = originals.length / hw;
        int cols = Math.min(columns, count);
        int pairRows = (count + cols - 1) / cols;
        int gap = scale;
        int tileW = width * scale;
        int tileH = height * scale;
        int imgW = cols * tileW + (cols + 1) * gap;
        // Per pair row: gap, originals, gap, reconstructions; then a final gap.
        int imgH = pairRows * (2 * tileH + 2 * gap) + gap;
        BufferedImage image = new BufferedImage(imgW, imgH, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] fill = new int[imgW * imgH];
        Arrays.fill(fill, GAP_GREY);
        raster.setPixels(0, 0, imgW, imgH, fill);
        int[] tile = new int[tileW * tileH];
        for (int i = 0; i < count; i++) {
            int x0 = gap + (i % cols) * (tileW + gap);
            int y0 = gap + (i / cols) * (2 * tileH + 2 * gap);
            toTile(originals, i * hw, height, width, scale, tile);
            raster.setPixels(x0, y0, tileW, tileH, tile);
            toTile(reconstructions, i * hw, height, width, scale, tile);
            raster.setPixels(x0, y0 + tileH + gap, tileW, tileH, tile);
        }
        return image;
    }

    /** Writes {@link #reconstructionGrid} as PNG. */
    public static void writeReconstructionGrid(float[] originals, float[] reconstructions, int height, int width,
            int columns, int scale, OutputStream out) throws IOException {
        writePng(reconstructionGrid(originals, reconstructions, height, width, columns, scale), out);
    }

    /**
     * Writes the grid of {@code [B, H, W]} or {@code [B, 1, H, W]} arrays as PNG (the last two
     * dimensions are height and width).
     */
    public static void writeReconstructionGrid(INDArray originals, INDArray reconstructions, int columns, int scale,
            OutputStream out) throws IOException {
        if (!Arrays.equals(originals.shape(), reconstructions.shape())) {
            throw new IllegalArgumentException("shapes differ: " + Arrays.toString(originals.shape()) + " vs "
                    + Arrays.toString(reconstructions.shape()));
        }
        int rank = originals.rank();
        if (rank < 3 || (rank == 4 && originals.size(1) != 1) || rank > 4) {
            throw new IllegalArgumentException("expected [B,H,W] or [B,1,H,W], got "
                    + Arrays.toString(originals.shape()));
        }
        int h = Math.toIntExact(originals.size(rank - 2));
        int w = Math.toIntExact(originals.size(rank - 1));
        writeReconstructionGrid(ImageQuality.host(originals), ImageQuality.host(reconstructions), h, w, columns, scale, out);
    }

    private static void toTile(float[] src, int offset, int height, int width, int scale, int[] tile) {
        int tileW = width * scale;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = src[offset + y * width + x];
                int g = Float.isNaN(v) ? 0 : Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
                for (int dy = 0; dy < scale; dy++) {
                    int row = (y * scale + dy) * tileW + x * scale;
                    Arrays.fill(tile, row, row + scale, g);
                }
            }
        }
    }

    // ---------------------------------------------------------------- code usage chart

    /**
     * The code-usage chart: per-code counts sorted in descending order against rank, log-scaled
     * count axis, x axis spanning all K codes so that unused codes show as the empty tail. A
     * dashed line marks the count every code would have under uniform use. Codes with count 0 do
     * not appear on a log axis; the legend states how many are used.
     */
    public static XYChart codeUsageChart(long[] counts, String title) {
        int k = counts.length;
        if (k == 0) {
            throw new IllegalArgumentException("no codes to plot");
        }
        long[] sorted = counts.clone();
        Arrays.sort(sorted);
        int used = 0;
        long total = 0;
        for (long c : sorted) {
            if (c < 0) {
                throw new IllegalArgumentException("negative code count " + c);
            }
            if (c > 0) {
                used++;
            }
            total += c;
        }
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title)
                .xAxisTitle("code rank (sorted by count, K = " + k + ")")
                .yAxisTitle(used > 0 ? "count (log scale)" : "count").build();
        Styler styler = chart.getStyler();
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(220, 220, 220));
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setXAxisMax((double) Math.max(k, 2));
        String usedLabel = String.format(Locale.ROOT, "used codes: %d of %d (%.1f%%)", used, k, 100.0 * used / k);
        if (used == 0) {
            // Nothing to put on a log axis: a flat zero line on a linear one.
            XYSeries zero = chart.addSeries(usedLabel, new double[] {1, Math.max(k, 2)}, new double[] {0, 0});
            zero.setMarker(SeriesMarkers.NONE);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(1.0);
            return chart;
        }
        chart.getStyler().setYAxisLogarithmic(true);
        int n = Math.max(used, 2);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            // Descending; a single used code is drawn as a flat step of width 1.
            y[i] = sorted[k - 1 - Math.min(i, used - 1)];
        }
        XYSeries series = chart.addSeries(usedLabel, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(new Color(31, 119, 180));
        double uniform = (double) total / k;
        XYSeries flat = chart.addSeries(String.format(Locale.ROOT, "uniform use: %.3g per code", uniform),
                new double[] {1, Math.max(k, 2)}, new double[] {uniform, uniform});
        flat.setMarker(SeriesMarkers.NONE);
        flat.setLineColor(new Color(214, 39, 40));
        flat.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                10f, new float[] {8f, 6f}, 0f));
        return chart;
    }

    /** Writes {@link #codeUsageChart} as PNG. */
    public static void writeCodeUsageChart(long[] counts, String title, OutputStream out) throws IOException {
        writePng(BitmapEncoder.getBufferedImage(codeUsageChart(counts, title)), out);
    }

    /** Writes the chart of an accumulator's counts as PNG. */
    public static void writeCodeUsageChart(CodebookUsage usage, String title, OutputStream out) throws IOException {
        writeCodeUsageChart(usage.counts(), title, out);
    }

    // ---------------------------------------------------------------- helpers

    private static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available in javax.imageio");
        }
    }
}
