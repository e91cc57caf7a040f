package org.ablate.spi;

import java.util.Map;

/**
 * What one trial runs. Instances are created by Guice (constructor injection works) and may be
 * shared by concurrent trials, so keep per-trial state in locals, not fields. Register it with the
 * {@link MetricSchema} of what it logs so that report sections are checked before a sweep runs.
 */
public interface Task {

    /**
     * Runs one trial.
     *
     * @return the trial's summary metrics (merged with those given to {@link MetricsSink#summary})
     * @throws TrialCancelledException when {@link TrialContext#cancellation()} asked it to stop
     * @throws Exception anything else marks the trial FAILED with its message and stack trace
     */
    Map<String, Double> run(TrialContext context) throws Exception;
}
