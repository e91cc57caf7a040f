package org.ablate.spi.launch;

import java.time.Duration;
import java.util.Optional;
import org.ablate.spi.Cancellation;
import org.ablate.spi.Parameters;

/**
 * What the engine hands a {@link Launcher} for one sweep: the limits, the launcher's own validated
 * options, the two ways of running a trial (in this JVM, or as a command), and the callbacks through
 * which a trial run elsewhere is reported. Callbacks may come from any thread.
 */
public interface LaunchContext {

    /** Trials at once ({@code --parallel N}). */
    int parallelism();

    /** The per-trial time limit, if any; a launcher enforces it (a timed-out trial ends FAILED). */
    Optional<Duration> trialTimeout();

    /** How long a trial asked to stop may take before it is given up on. */
    Duration cancelGrace();

    /** Set when the user stopped the sweep (Ctrl-C, SIGTERM): start nothing more, stop what runs. */
    Cancellation cancellation();

    /**
     * The experiment's results folder ({@code <results>/<experiment>}). A launcher that hands trials
     * to a scheduler keeps what it submitted here (a batch script, the job ids), beside the trials.
     */
    java.nio.file.Path experimentDir();

    /** The launcher's options ({@code launcher:} in the file, {@code launcher.KEY=VALUE}), checked against its schema. */
    Parameters options();

    /** A trial that runs on a thread of this JVM. */
    InProcessTrial inProcess(LaunchTrial trial);

    /** The command that runs the trial in another process (a child JVM, a cluster task). */
    TrialCommand command(LaunchTrial trial);

    /**
     * Announces that a trial is about to start elsewhere (its earlier attempt is moved aside, the
     * display shows it). False when the sweep is stopping: then do not start it, and start no more.
     */
    boolean starting(LaunchTrial trial);

    /**
     * Announces a trial that an earlier invocation handed to a scheduler and that still runs (or
     * waits) there: as {@link #starting}, but its folder is left as it is, since its process writes it.
     */
    boolean attaching(LaunchTrial trial);

    /**
     * Says that a trial announced with {@link #starting} or {@link #attaching} runs on without this
     * process (a detached submission): it has no end here; a later {@code ablate run} attaches to it.
     */
    void detached(LaunchTrial trial);

    /**
     * Whether a trial announced with {@link #starting} has recorded its own start (run elsewhere: its
     * process has written the trial's config). A launcher's timeout counts from then, as it does in
     * process, so that a child's start-up (a JVM, the plugins, the plan) is not taken from the trial.
     */
    boolean started(LaunchTrial trial);

    /** Progress of a trial run elsewhere, for launchers that learn it other than from the trial's folder. */
    void progress(LaunchTrial trial, long done, long total, String message);

    /** The end of a trial announced with {@link #starting}; the first end reported stands. */
    void ended(LaunchTrial trial, TrialEnd end);
}
