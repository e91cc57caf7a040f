package org.ablate.service;

import java.nio.file.Path;
import java.util.List;
import org.ablate.run.RunOptions;

/**
 * What {@code ablate run} was asked to do.
 *
 * @param experiment   an experiment file, or the name of one in experiments/
 * @param overrides    Hydra-style command-line overrides
 * @param maxTrials    the largest sweep accepted
 * @param trialTimeout the per-trial limit as given (e.g. "90s"), or null: parsed after the file is
 *                     checked, so that a bad file is reported first, as before
 * @param trackingUri  {@code --tracking-uri}, or null
 * @param options      how to run (parallel, fresh, display); timeout and tracking are filled in here
 * @param noReport     skip the report at the end
 * @param resultsDir   the results store root
 * @param invocation   the command line, as provenance records it
 * @param launcher     {@code --launcher}, or null (the file's {@code launcher:}, else in-process)
 * @param entryPoint   the CLI's main class, which a child process runs a trial through
 */
public record RunRequest(String experiment, List<String> overrides, long maxTrials, String trialTimeout, String trackingUri,
                         RunOptions options, boolean noReport, Path resultsDir, String invocation,
                         String launcher, String entryPoint) {

    public RunRequest {
        overrides = List.copyOf(overrides);
    }
}
