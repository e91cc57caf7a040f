package org.ablate.run;

import org.ablate.experiment.TrialSpec;

/** A trial the display shows as running, wherever it runs (a thread here, a child process, a cluster). */
interface RunningTrial {

    TrialSpec spec();

    TrialProgress progress();
}
