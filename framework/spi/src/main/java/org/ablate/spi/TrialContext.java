package org.ablate.spi;

import java.nio.file.Path;
import java.util.SplittableRandom;

/** Everything a {@link Task} receives for one trial. */
public interface TrialContext {

    /** The stable hash identifying this trial (its parameters and seed). */
    String trialId();

    /** Resolved parameters: the experiment's values with the schema's defaults filled in. */
    Parameters params();

    /** The trial's seed. */
    long seed();

    /**
     * An independent random stream derived from the seed and {@code stream}; the same seed and
     * stream name give the same numbers on every run, and different names are independent.
     */
    SplittableRandom random(String stream);

    /** A 64-bit seed derived from the trial seed and {@code stream}, for libraries that take a seed. */
    long seed(String stream);

    MetricsSink metrics();

    ProgressReporter progress();

    Cancellation cancellation();

    /**
     * The component named by the COMPONENT parameter {@code key}, created by Guice and configured
     * at creation: its constructor receives {@code params().scope(key)} as
     * {@link ComponentParams @ComponentParams Parameters} (see {@link ComponentRegistry#create}),
     * so its methods take no parameters argument.
     */
    <T> T component(String key, Class<T> kind);

    /** The trial's folder (config.json, metrics.jsonl, trial.log, artifacts/ ...), for tasks that hand it to a program. */
    Path trialDir();

    /** A scratch folder inside the trial folder, for files that are not artifacts. */
    Path scratchDir();
}
