package org.ablate.report;

import java.util.List;

/**
 * What one plot draws: per series, x values with the mean and 95% band of the metric. A
 * categorical x (m: "4 * d") is drawn at positions 0, 1, ... labelled by {@code xCategories}; a null
 * {@code yRange} lets the y axis fit the data.
 */
public record PlotData(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
                       List<String> xCategories, PlotSpec.Range yRange) {

    /** One line and its band; {@code lo}/{@code hi} are NaN where there is no interval (one seed). */
    public record Series(String name, double[] x, double[] mean, double[] lo, double[] hi, int[] n) {
    }
}
