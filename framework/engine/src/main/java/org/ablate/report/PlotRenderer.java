package org.ablate.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a plot with XChart, headless: one line per series with markers, its 95% band shaded. On a
 * log x axis over a geometric sweep (2^12 … 2^16) the ticks are the swept values themselves
 * (XChart's log axis would label decades only: one "1E4"); other log axes get ticks at 1–9 × 10^k
 * when they span two decades or less. A series identical to an earlier one is drawn dashed over it,
 * with its own marker, and says "(same as …)" in the legend.
 */
public final class PlotRenderer {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /** One shape per series, so that lines of one colour family stay apart in print. */
    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE};

    private PlotRenderer() {
    }

    public static byte[] png(PlotData data) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart(data), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The chart before encoding (tests read its series and axis range). */
    static XYChart chart(PlotData data) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(data.title())
                .xAxisTitle(data.xLabel()).yAxisTitle(data.yLabel()).build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xdddddd));
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        double[] logTicks = data.logX() ? geometricSweep(data) : null;
        // a geometric sweep is drawn at log10(x) on a linear axis, whose equally spaced data XChart ticks exactly
        java.util.function.DoubleUnaryOperator toAxis = logTicks == null ? x -> x : Math::log10;
        if (logTicks != null) {
            styler.setXAxisTickLabelsFormattingFunction(v -> {
                for (double t : logTicks) {
                    if (Math.abs(Math.log10(t) - v) < 1e-9) {
                        return tick(t);
                    }
                }
                return "";
            });
        } else if (data.logX()) {
            styler.setXAxisLogarithmic(true);
            styler.setXAxisLogarithmicDecadeOnly(decades(data, true) > 2);
            styler.setXAxisTickLabelsFormattingFunction(PlotRenderer::tick);
        }
        if (!data.xCategories().isEmpty()) {
            List<String> labels = data.xCategories();
            styler.setXAxisTickLabelsFormattingFunction(v -> {
                long i = Math.round(v);
                return Math.abs(v - i) < 1e-9 && i >= 0 && i < labels.size() ? labels.get((int) i) : "";
            });
        }
        styler.setYAxisLogarithmic(data.logY());
        if (data.logY()) {
            styler.setYAxisLogarithmicDecadeOnly(decades(data, false) > 2);
            styler.setYAxisTickLabelsFormattingFunction(PlotRenderer::tick);
        }
        if (data.yRange() != null) {
            styler.setYAxisMin(data.yRange().min());
            styler.setYAxisMax(data.yRange().max());
        }
        styler.setMarkerSize(7);
        double floor = data.logY() ? positiveFloor(data) : Double.NEGATIVE_INFINITY;
        int c = 0;
        List<PlotData.Series> drawn = new ArrayList<>();
        for (PlotData.Series s : data.series()) {
            int index = c;
            Color color = PALETTE[c++ % PALETTE.length];
            PlotData.Series same = drawn.stream().filter(d -> sameLine(d, s)).findFirst().orElse(null);
            drawn.add(s);
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.hi()[i]) && onAxis(data, s.x()[i])) {
                    bx.add(toAxis.applyAsDouble(s.x()[i]));
                    by.add(inRange(data, Math.max(floor, s.hi()[i])));
                }
            }
            for (int i = s.x().length - 1; i >= 0; i--) {
                if (Double.isFinite(s.lo()[i]) && onAxis(data, s.x()[i])) {
                    bx.add(toAxis.applyAsDouble(s.x()[i]));
                    by.add(inRange(data, Math.max(floor, s.lo()[i])));
                }
            }
            if (bx.size() >= 3) {
                XYSeries band = chart.addSeries(s.name() + " 95% CI", bx, by);
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                band.setLineColor(new Color(0, 0, 0, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
            }
            List<Double> lx = new ArrayList<>();
            List<Double> ly = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.mean()[i]) && (!data.logY() || s.mean()[i] > 0) && onAxis(data, s.x()[i])) {
                    lx.add(toAxis.applyAsDouble(s.x()[i]));
                    ly.add(s.mean()[i]);
                }
            }
            if (lx.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(same == null ? s.name() : s.name() + " (same as " + same.name() + ")", lx, ly);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(color);
            line.setMarkerColor(color);
            // dashed over its twin, so both colours show where the lines coincide
            line.setLineStyle(same == null ? new BasicStroke(2.2f)
                    : new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9f, 7f}, 0f));
            line.setMarker(lx.size() > 60 ? SeriesMarkers.NONE : MARKERS[index % MARKERS.length]);
        }
        return chart;
    }

    /** Same points and same means: one line would hide the other. */
    private static boolean sameLine(PlotData.Series a, PlotData.Series b) {
        return java.util.Arrays.equals(a.x(), b.x()) && java.util.Arrays.equals(a.mean(), b.mean());
    }

    /**
     * The distinct positive x values when they are 2 to 20 and equally spaced in log (a geometric
     * sweep): these become the ticks. Null otherwise (steps, or an uneven grid), left to XChart's log axis.
     */
    private static double[] geometricSweep(PlotData data) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        for (PlotData.Series s : data.series()) {
            for (double x : s.x()) {
                if (x > 0 && Double.isFinite(x)) {
                    xs.add(x);
                }
            }
        }
        if (xs.size() < 2 || xs.size() > 20) {
            return null;
        }
        double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double gap = Math.log10(v[1]) - Math.log10(v[0]);
        for (int i = 2; i < v.length; i++) {
            if (Math.abs(Math.log10(v[i]) - Math.log10(v[i - 1]) - gap) > 1e-9 * Math.max(1, Math.abs(gap))) {
                return null;
            }
        }
        return v;
    }

    /** Decades spanned by the positive x (or y: means and band edges) values. */
    private static double decades(PlotData data, boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (PlotData.Series s : data.series()) {
            for (double[] values : x ? new double[][] {s.x()} : new double[][] {s.mean(), s.lo(), s.hi()}) {
                for (double v : values) {
                    if (v > 0 && Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        return max > 0 ? Math.log10(max / min) : 0;
    }

    /** A tick label: 4096, 65536, 0.25, 1.5e-5; never "1E4". */
    static String tick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e9) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
        // 1e-5, 2.5e+12: short, and not XChart's "1E4"
        String[] parts = String.format(java.util.Locale.ROOT, "%.3e", v).split("e");
        String mantissa = new java.math.BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
        return mantissa + "e" + Integer.parseInt(parts[1]);
    }

    private static double inRange(PlotData data, double y) {
        return data.yRange() == null ? y : data.yRange().clip(y);
    }

    /** False for x <= 0 on a log x axis (step 0, say), which XChart refuses to draw. */
    private static boolean onAxis(PlotData data, double x) {
        return !data.logX() || x > 0;
    }

    /** Half the smallest positive value drawn, so a band reaching 0 stays on a log axis. */
    private static double positiveFloor(PlotData data) {
        double min = Double.POSITIVE_INFINITY;
        for (PlotData.Series s : data.series()) {
            for (double v : s.mean()) {
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
            for (double v : s.lo()) {
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
        }
        return Double.isFinite(min) ? min / 2 : 1e-12;
    }
}
