package org.ablate.report;

import java.util.List;
import org.ablate.experiment.PlotSpec;

/**
 * What one plot draws: per series, x values with the centre and 95% band of the metric. A
 * categorical x (m: "4 * d") is drawn at positions 0, 1, ... labelled by {@code xCategories}; a null
 * {@code yRange} lets the y axis fit the data. On a log y axis ({@code logY}) the centre is the
 * geometric mean over seeds and the band the 95% t-interval of the log values, exponentiated: it
 * stays positive, where the arithmetic interval of a few seeds often crosses zero. {@code notes}
 * say what could not be drawn (a value ≤ 0 on a log axis) and go under the plot in report.md.
 */
public record PlotData(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
                       List<String> xCategories, PlotSpec.Range yRange, List<String> notes) {

    public PlotData {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public PlotData(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series,
                    List<String> xCategories, PlotSpec.Range yRange) {
        this(title, xLabel, yLabel, logX, logY, series, xCategories, yRange, List.of());
    }

    /** One line and its band; {@code lo}/{@code hi} are NaN where there is no interval (one seed). */
    public record Series(String name, double[] x, double[] mean, double[] lo, double[] hi, int[] n) {
    }
}
