package org.ablate.report;

import java.util.List;

/** What one plot draws: per series, x values with the mean and 95% band of the metric. */
public record PlotData(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {

    /** One line and its band; {@code lo}/{@code hi} are NaN where there is no interval (one seed). */
    public record Series(String name, double[] x, double[] mean, double[] lo, double[] hi, int[] n) {
    }
}
