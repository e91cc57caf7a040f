package org.ablate.run;

import java.util.Collection;

/** Shows a sweep's progress to the person who started it. */
interface SweepMonitor extends AutoCloseable {

    void started(int toRun, int alreadyFinished);

    /** Called every second with the trials now running. */
    void tick(Collection<? extends RunningTrial> running);

    void trialEnded(TrialOutcome outcome, Collection<? extends RunningTrial> running);

    @Override
    void close();
}
