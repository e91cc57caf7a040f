package org.ablate.report;

import static org.ablate.report.ResultsFixture.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.experiment.PlotSpec;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a plot draws: summary metrics against a swept parameter, and training histories over seeds. */
class ReportPlotTest {

    private static final Origin ORIGIN = new Origin("e.yaml", 9, "report.plots[0]");

    @TempDir
    Path tmp;

    private PlotBuilder builder;

    @BeforeEach
    void fixture() throws Exception {
        ResultsFixture f = new ResultsFixture(tmp, "plots", "x", "q");
        String a0 = f.trial(values("x", 1.0, "q", "a"), 0, TrialState.FINISHED, values("acc", 1.0));
        String a1 = f.trial(values("x", 1.0, "q", "a"), 1, TrialState.FINISHED, values("acc", 3.0));
        String b0 = f.trial(values("x", 4.0, "q", "a"), 0, TrialState.FINISHED, values("acc", 10.0));
        String b1 = f.trial(values("x", 4.0, "q", "a"), 1, TrialState.FAILED, null);
        f.trial(values("x", 2.0, "q", "a"), 0, null, null);
        f.trial(values("x", 1.0, "q", "b"), 0, TrialState.FINISHED, values("acc", 5.0));
        f.writeSweep();
        f.history(a0, "train/loss", 0, 10, 1, 8, 2, 6, 3, 4, 4, 2);
        f.history(a0, "train/loss", 4, 3); // a step written again: the last point wins
        f.history(a0, "other", 0, 99);
        f.history(a1, "train/loss", 0, 12, 1, 10, 2, 8, 3, 6, 4, 4);
        Files.writeString(f.folder().trial(a1).file(TrialFolder.METRICS), "{\"step\":5,\"name\":\"train/loss\",\"va",
                java.nio.file.StandardOpenOption.APPEND); // cut by a crash
        f.history(b0, "train/loss", 0, 100, 1, 50);
        f.history(b1, "train/loss", 0, -1000, 1, -1000); // FAILED: not drawn
        ExperimentResults results = ExperimentResults.read(f.folder());
        builder = new PlotBuilder(results, Configuration.aggregate(results));
    }

    private static PlotSpec plot(String metric, String x, String group, Map<String, Object> where, Long maxStep) {
        return new PlotSpec(metric, x, group, where, false, false, null, null, null, maxStep, null, ORIGIN);
    }

    @Test
    void aSummaryMetricAgainstASweptParameterPerGroup() throws Exception {
        PlotData d = builder.build(plot("acc", "x", "q", Map.of(), null));
        assertEquals("acc vs x", d.title());
        assertEquals("acc (mean, 95% CI over seeds)", d.yLabel());
        assertNull(d.yRange());
        assertEquals(List.of("q=a", "q=b"), d.series().stream().map(PlotData.Series::name).toList());
        PlotData.Series a = d.series().get(0);
        assertArrayEquals(new double[] {1, 2, 4}, a.x(), "numeric order; the unstarted x=2 is a gap");
        assertEquals(2.0, a.mean()[0], 1e-12);
        assertTrue(Double.isNaN(a.mean()[1]));
        assertEquals(10.0, a.mean()[2], 1e-12);
        assertArrayEquals(new int[] {2, 0, 1}, a.n());
        assertEquals(Stat.of(new double[] {1, 3}).ciLow(), a.lo()[0], 1e-12);
        assertTrue(Double.isNaN(a.lo()[2]), "one seed: no band");

        ConfigException same = assertThrows(ConfigException.class, () -> builder.build(plot("acc", "x", null, Map.of(), null)));
        assertEquals("e.yaml:9: report.plots[0]: plot of 'acc': x=1.0 q=a and x=1.0 q=b fall on the same point; "
                + "fix the other parameters with 'where' or split them with 'group'", same.getMessage());
    }

    @Test
    void aCategoricalXIsDrawnAtPositionsInSweepOrderAndWrittenByName() throws Exception {
        PlotData d = builder.build(plot("acc", "q", "x", Map.of(), null));
        assertEquals(List.of("a", "b"), d.xCategories());
        assertEquals(List.of("x=1.0", "x=4.0", "x=2.0"), d.series().stream().map(PlotData.Series::name).toList());
        PlotData.Series one = d.series().get(0);
        assertArrayEquals(new double[] {0, 1}, one.x());
        assertArrayEquals(new double[] {2, 5}, one.mean(), 1e-12);
        String csv = ReportWriter.plotCsv(d);
        assertTrue(csv.startsWith("series,x,seeds,mean,ci95_low,ci95_high\nx=1.0,a,2,2.0,"), csv);
        assertTrue(csv.contains("\nx=1.0,b,1,5.0,,\n"), csv);
        assertTrue(csv.contains("\nx=4.0,a,1,10.0,,\n"), csv);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(PlotRenderer.png(d))));
        // numbers stay numbers, in numeric order
        assertEquals(List.of(), builder.build(plot("acc", "x", "q", Map.of(), null)).xCategories());
        String numeric = ReportWriter.plotCsv(builder.build(plot("acc", "x", "q", Map.of(), null)));
        assertTrue(numeric.contains("\nq=a,4.0,1,10.0,,\n"), numeric);
    }

    @Test
    void aHistoryIsAveragedOverTheFinishedSeedsStepByStep() throws Exception {
        PlotData d = builder.build(plot("train/loss", "step", "x", Map.of("q", "a"), 3L));
        assertEquals("train/loss vs step (q=a)", d.title());
        assertEquals(List.of("x=1.0", "x=4.0", "x=2.0"), d.series().stream().map(PlotData.Series::name).toList(), "sweep order");
        PlotData.Series one = d.series().get(0);
        assertArrayEquals(new double[] {0, 1, 2, 3}, one.x(), "max_step 3 keeps steps up to 3");
        assertArrayEquals(new double[] {11, 9, 7, 5}, one.mean(), 1e-12);
        assertArrayEquals(new int[] {2, 2, 2, 2}, one.n());
        assertEquals(0, d.series().get(2).x().length, "an unstarted configuration has no history");
        PlotData.Series four = d.series().get(1);
        assertArrayEquals(new double[] {100, 50}, four.mean(), 1e-12, "the FAILED seed is left out");
        assertArrayEquals(new int[] {1, 1}, four.n());

        PlotData all = builder.build(plot("train/loss", "step", null, Map.of("x", 1, "q", "a"), null));
        PlotData.Series s = all.series().get(0);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, s.x());
        assertEquals(3.5, s.mean()[4], 1e-12, "step 4 of seed 0 was rewritten as 3: (3 + 4) / 2");

        ConfigException many = assertThrows(ConfigException.class, () -> builder.build(plot("train/loss", "step", null, Map.of(), null)));
        assertTrue(many.getMessage().startsWith("e.yaml:9: report.plots[0]: plot of 'train/loss' over steps: 4 configurations in series"),
                many.getMessage());
    }

    @Test
    void aYRangeFixesTheAxisAndClipsTheBands() throws Exception {
        // a failure rate over 3 seeds: the t-interval reaches -0.14 and 1.1
        PlotData.Series rate = new PlotData.Series("sketch=gaussian", new double[] {0, 1, 2}, new double[] {1, 0.33, 0},
                new double[] {0.9, -0.14, 0}, new double[] {1.1, 0.81, 0}, new int[] {3, 3, 3});
        PlotData clipped = new PlotData("rate", "m", "failure rate", false, false, List.of(rate), List.of("d", "8 * d", "40 * d"),
                new PlotSpec.Range(0, 1));
        // XChart keeps its series map package-private; removeSeries hands a series back to read
        assertEquals(new PlotSpec.Range(0, 1), builder.build(new PlotSpec("acc", "x", "q", Map.of(), false, false,
                null, null, null, null, new PlotSpec.Range(0, 1), ORIGIN)).yRange(), "the builder passes the range on");
        var chart = PlotRenderer.chart(clipped);
        assertEquals(0.0, chart.getStyler().getYAxisMin());
        assertEquals(1.0, chart.getStyler().getYAxisMax());
        var band = chart.removeSeries("sketch=gaussian 95% CI");
        // upper edge left to right, then lower edge right to left
        assertArrayEquals(new double[] {1, 0.81, 0, 0, 0, 0.9}, band.getYData(), 1e-12);
        assertArrayEquals(new double[] {1, 0.33, 0}, chart.removeSeries("sketch=gaussian").getYData(), 1e-12);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(PlotRenderer.png(clipped))));

        var free = PlotRenderer.chart(new PlotData("rate", "m", "failure rate", false, false, List.of(rate), List.of(), null));
        assertNull(free.getStyler().getYAxisMin());
        assertArrayEquals(new double[] {1.1, 0.81, 0, 0, -0.14, 0.9}, free.removeSeries("sketch=gaussian 95% CI").getYData(), 1e-12);
    }

    @Test
    void logAxesDropWhatTheyCannotShow() throws Exception {
        // step 0 on a log x axis, a zero and a negative value on a log y axis
        PlotData d = new PlotData("t", "step", "v", true, true, List.of(
                new PlotData.Series("s", new double[] {0, 1, 10, 100}, new double[] {5, 0, 2, 1},
                        new double[] {4, -1, 1, 0.5}, new double[] {6, 1, 3, 1.5}, new int[] {3, 3, 3, 3}),
                new PlotData.Series("gap", new double[] {1, 2}, new double[] {Double.NaN, 3},
                        new double[] {Double.NaN, Double.NaN}, new double[] {Double.NaN, Double.NaN}, new int[] {0, 1})), List.of(), null);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(PlotRenderer.png(d)));
        assertNotNull(image);
        assertEquals(PlotRenderer.WIDTH, image.getWidth());
        assertEquals(PlotRenderer.HEIGHT, image.getHeight());

        PlotData empty = new PlotData("nothing", "x", "y", false, false, List.of(
                new PlotData.Series("none", new double[0], new double[0], new double[0], new double[0], new int[0])), List.of(), null);
        assertNotNull(ImageIO.read(new ByteArrayInputStream(PlotRenderer.png(empty))));
    }
}
