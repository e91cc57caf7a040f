package org.ablate.run;

import java.util.Collection;

/** Shows a sweep's progress to the person who started it. */
interface SweepMonitor extends AutoCloseable {

    void started(int toRun, int alreadyFinished);

    /** Called every second with the trials now running. */
    void tick(Collection<TrialExecution> running);

    void trialEnded(TrialOutcome outcome, Collection<TrialExecution> running);

    @Override
    void close();
}
