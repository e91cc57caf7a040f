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

/** Draws a plot with XChart, headless: one line per series with markers, its 95% band shaded. */
public final class PlotRenderer {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

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
        styler.setXAxisLogarithmic(data.logX());
        if (!data.xCategories().isEmpty()) {
            List<String> labels = data.xCategories();
            styler.setXAxisTickLabelsFormattingFunction(v -> {
                long i = Math.round(v);
                return Math.abs(v - i) < 1e-9 && i >= 0 && i < labels.size() ? labels.get((int) i) : "";
            });
        }
        styler.setYAxisLogarithmic(data.logY());
        if (data.yRange() != null) {
            styler.setYAxisMin(data.yRange().min());
            styler.setYAxisMax(data.yRange().max());
        }
        styler.setMarkerSize(7);
        double floor = data.logY() ? positiveFloor(data) : Double.NEGATIVE_INFINITY;
        int c = 0;
        for (PlotData.Series s : data.series()) {
            Color color = PALETTE[c++ % PALETTE.length];
            List<Double> bx = new ArrayList<>();
            List<Double> by = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.hi()[i]) && onAxis(data, s.x()[i])) {
                    bx.add(s.x()[i]);
                    by.add(inRange(data, Math.max(floor, s.hi()[i])));
                }
            }
            for (int i = s.x().length - 1; i >= 0; i--) {
                if (Double.isFinite(s.lo()[i]) && onAxis(data, s.x()[i])) {
                    bx.add(s.x()[i]);
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
                    lx.add(s.x()[i]);
                    ly.add(s.mean()[i]);
                }
            }
            if (lx.isEmpty()) {
                continue;
            }
            XYSeries line = chart.addSeries(s.name(), lx, ly);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setLineColor(color);
            line.setMarkerColor(color);
            line.setLineStyle(new BasicStroke(2.2f));
            line.setMarker(lx.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        return chart;
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
