package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ablate.config.Origin;
import org.ablate.experiment.PlotSpec;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.AxesChart;
import org.knowm.xchart.internal.chartpart.Axis_;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;

/** Log axes a researcher can read: ticks at the swept values, bands that stay positive, twins that stay visible. */
class PlotAxesTest {

    private static final Origin ORIGIN = new Origin("e.yaml", 9, "report.plots[0]");

    @TempDir
    Path tmp;

    /** The tick labels XChart draws on an axis (read after painting, as the PNG has them). */
    static List<String> ticks(XYChart chart, boolean x) throws Exception {
        BufferedImage image = new BufferedImage(PlotRenderer.WIDTH, PlotRenderer.HEIGHT, BufferedImage.TYPE_INT_ARGB);
        chart.paint(image.createGraphics(), PlotRenderer.WIDTH, PlotRenderer.HEIGHT);
        var pairGetter = AxesChart.class.getDeclaredMethod("getAxisPair");
        pairGetter.setAccessible(true);
        Object pair = pairGetter.invoke(chart);
        var axisGetter = pair.getClass().getDeclaredMethod(x ? "getXAxis" : "getYAxis");
        axisGetter.setAccessible(true);
        AxisTickCalculator calc = ((Axis_<?, ?>) axisGetter.invoke(pair)).getAxisTickCalculator();
        return calc.getTickLabels().stream().filter(l -> l != null && !l.isEmpty()).toList();
    }

    private static PlotSpec plot(String metric, String x, String group, boolean logX, boolean logY) {
        return new PlotSpec(metric, x, group, Map.of(), logX, logY, null, null, null, null, null, ORIGIN);
    }

    private static PlotData.Series series(String name, double[] x, double[] mean) {
        double[] nan = new double[x.length];
        java.util.Arrays.fill(nan, Double.NaN);
        return new PlotData.Series(name, x, mean, nan, nan, new int[x.length]);
    }

    @Test
    void aLogXAxisOverAGeometricSweepIsTickedAtTheSweptValues() throws Exception {
        double[] n = {4096, 8192, 16384, 32768, 65536};
        PlotData d = new PlotData("t", "n (log scale)", "v", true, false,
                List.of(series("s", n, new double[] {1, 2, 3, 4, 5})), List.of(), null);
        assertEquals(List.of("4096", "8192", "16384", "32768", "65536"), ticks(PlotRenderer.chart(d), true),
                "not a single '1E4' decade tick");
        // an uneven grid over less than two decades: ticks at 1-9 x 10^k, written out
        PlotData uneven = new PlotData("t", "n", "v", true, false,
                List.of(series("s", new double[] {1000, 3000, 20000}, new double[] {1, 2, 3})), List.of(), null);
        List<String> t = ticks(PlotRenderer.chart(uneven), true);
        assertTrue(t.size() >= 5 && t.contains("1000") && t.contains("2000") && t.contains("10000"), t.toString());
        assertTrue(t.stream().noneMatch(l -> l.contains("E")), t.toString());
    }

    @Test
    void aLogYBandIsTheIntervalOfTheLogsAndNeverReachesZero() throws Exception {
        // three seeds spread over two decades: the arithmetic t-interval of the mean goes below 0
        ResultsFixture f = new ResultsFixture(tmp, "logy", "size");
        double[] seeds = {0.002, 0.05, 0.4};
        for (int s = 0; s < seeds.length; s++) {
            f.trial(values("size", 1024.0), s, TrialState.FINISHED, values("err", seeds[s]));
            f.trial(values("size", 4096.0), s, TrialState.FINISHED, values("err", seeds[s] / 4));
        }
        f.writeSweep();
        ExperimentResults results = ExperimentResults.read(f.folder());
        List<Configuration> configurations = Configuration.aggregate(results);
        assertTrue(configurations.get(0).metrics().get("err").ciLow() < 0, "the fixture's arithmetic interval crosses zero");
        PlotData d = new PlotBuilder(results, configurations).build(plot("err", "size", null, true, true));
        Stat logs = Stat.of(java.util.Arrays.stream(seeds).map(Math::log).toArray());
        PlotData.Series s = d.series().get(0);
        assertEquals(Math.exp(logs.mean()), s.mean()[0], 1e-12, "geometric mean");
        assertEquals(Math.exp(logs.ciLow()), s.lo()[0], 1e-12);
        assertEquals(Math.exp(logs.ciHigh()), s.hi()[0], 1e-12);
        assertEquals(Math.exp(logs.mean()) / 4, s.mean()[1], 1e-12);
        assertEquals("err (geometric mean, 95% CI over seeds; log scale)", d.yLabel());
        assertTrue(ReportWriter.plotCsv(d).startsWith("series,x,seeds,geometric_mean,ci95_low,ci95_high\n"));
        var chart = PlotRenderer.chart(d);
        double[] band = chart.removeSeries("err 95% CI").getYData();
        assertArrayEquals(new double[] {s.hi()[0], s.hi()[1], s.lo()[1], s.lo()[0]}, band, 1e-12,
                "the band's lower edge is the interval, not a floor under the data");
    }

    @Test
    void aZeroOrNegativeValueOnALogYAxisIsLeftOutWithANote() throws Exception {
        ResultsFixture f = new ResultsFixture(tmp, "zeros", "size");
        f.trial(values("size", 10.0), 0, TrialState.FINISHED, values("err", 0.5));
        f.trial(values("size", 10.0), 1, TrialState.FINISHED, values("err", 0.0)); // exact: error 0
        f.trial(values("size", 100.0), 0, TrialState.FINISHED, values("err", 0.1));
        f.trial(values("size", 100.0), 1, TrialState.FINISHED, values("err", 0.2));
        f.trial(values("size", 1000.0), 0, TrialState.FINISHED, values("err", -0.01));
        f.trial(values("size", 1000.0), 1, TrialState.FINISHED, values("err", 0.03));
        f.writeSweep();
        ExperimentResults results = ExperimentResults.read(f.folder());
        PlotData d = new PlotBuilder(results, Configuration.aggregate(results)).build(plot("err", "size", null, true, true));
        PlotData.Series s = d.series().get(0);
        assertTrue(Double.isNaN(s.mean()[0]) && Double.isNaN(s.mean()[2]), "no geometric mean with a value <= 0");
        assertEquals(Math.sqrt(0.1 * 0.2), s.mean()[1], 1e-12);
        assertEquals(List.of("2 point(s) with a value <= 0 in some seed are not drawn: a log y axis (log_y) shows the geometric "
                + "mean, which needs every value > 0; the table below has their arithmetic means."), d.notes());
        var chart = PlotRenderer.chart(d);
        assertArrayEquals(new double[] {Math.sqrt(0.1 * 0.2)}, chart.removeSeries("err").getYData(), 1e-12);
        var spec = org.ablate.experiment.ExperimentParser.parse(
                java.nio.file.Files.writeString(tmp.resolve("zeros.yaml"), "task: probe\n"));
        assertTrue(ReportWriter.markdown(new Report(spec, results, List.of(), List.of(), List.of(), List.of(d), List.of()),
                List.of("p.png")).contains("![err vs size](p.png)\n\n*2 point(s) with a value <= 0"), "the note is under the plot");
    }

    @Test
    void identicalSeriesStayVisible() throws Exception {
        double[] x = {1, 2, 3};
        PlotData d = new PlotData("t", "x", "v", false, false, List.of(
                series("sketch=gaussian", x, new double[] {0.5, 0.25, 0.125}),
                series("sketch=rademacher", x, new double[] {0.5, 0.25, 0.125}),
                series("sketch=osnap", x, new double[] {0.6, 0.3, 0.2})), List.of(), null);
        var chart = PlotRenderer.chart(d);
        var twin = chart.removeSeries("sketch=rademacher (same as sketch=gaussian)");
        var first = chart.removeSeries("sketch=gaussian");
        var other = chart.removeSeries("sketch=osnap");
        assertNotEquals(first.getMarker(), twin.getMarker(), "a marker of its own");
        assertNotEquals(first.getMarker(), other.getMarker());
        assertTrue(twin.getLineStyle().getDashArray() != null, "drawn dashed over its twin");
        assertEquals(null, ((BasicStroke) first.getLineStyle()).getDashArray());
    }
}
