package org.ablate.experiment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.Sourced;

/**
 * An experiment file, parsed: the task, its fixed parameters, the sweep (grid axes and zipped
 * groups), seeding, per-configuration overrides and exclusions, run settings, and its report and
 * claims sections (read and checked for shape with the rest of the file), and for {@code task: command}
 * the program and its schema ({@code command} is null for every other task).
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
        ReportSpec report,
        LaunchSettings launch,
        CommandSpec command) {

    public ExperimentSpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        grid = List.copyOf(grid);
        zips = zips.stream().map(List::copyOf).toList();
        overrides = List.copyOf(overrides);
        excludes = excludes.stream().map(Map::copyOf).toList();
        launch = launch == null ? LaunchSettings.NONE : launch;
    }

    /**
     * What the task is created with: a {@code task: command} file's program ({@link CommandSpec#taskOptions}),
     * nothing for a plugin's task.
     */
    public org.ablate.spi.Parameters taskOptions() {
        return command == null ? new org.ablate.spi.Parameters(Map.of()) : command.taskOptions();
    }

    public String taskName() {
        return (String) task.value();
    }

    ExperimentSpec with(Map<String, Sourced> params, List<SweepAxis> grid, List<List<SweepAxis>> zips,
                        Seeding seeding, Duration trialTimeout) {
        return new ExperimentSpec(name, description, task, sourceFile, sourceText, params, grid, zips,
                seeding, overrides, excludes, trialTimeout, headline, tracking, report, launch, command);
    }
}
