package org.ablate.experiment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.Sourced;

/**
 * An experiment file, parsed: the task, its fixed parameters, the sweep (grid axes and zipped
 * groups), seeding, per-configuration overrides and exclusions, and run settings.
 * Parameter keys are dotted ({@code sketch.s}); values keep their origin for error messages.
 */
public record ExperimentSpec(
        String name,
        String description,
        Sourced task,
        String sourceFile,
        String sourceText,
        Map<String, Sourced> params,
        List<SweepAxis> grid,
        List<List<SweepAxis>> zips,
        Seeding seeding,
        List<ConditionalOverride> overrides,
        List<Map<String, Sourced>> excludes,
        Duration trialTimeout,
        String headline,
        TrackingSettings tracking,
        org.ablate.config.YamlNode report,
        org.ablate.config.YamlNode claims) {

    public ExperimentSpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        grid = List.copyOf(grid);
        zips = zips.stream().map(List::copyOf).toList();
        overrides = List.copyOf(overrides);
        excludes = excludes.stream().map(Map::copyOf).toList();
    }

    public String taskName() {
        return (String) task.value();
    }

    ExperimentSpec with(Map<String, Sourced> params, List<SweepAxis> grid, List<List<SweepAxis>> zips,
                        Seeding seeding, Duration trialTimeout) {
        return new ExperimentSpec(name, description, task, sourceFile, sourceText, params, grid, zips,
                seeding, overrides, excludes, trialTimeout, headline, tracking, report, claims);
    }
}
