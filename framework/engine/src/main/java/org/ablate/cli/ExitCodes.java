package org.ablate.cli;

/** The CLI's exit codes, as documented in the README. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The sweep ran, but at least one trial FAILED or was INTERRUPTED. */
    public static final int TRIALS_FAILED = 1;
    /** Bad input: experiment file, override or command-line option. */
    public static final int BAD_INPUT = 2;
    /** The installation is broken: a plugin failed to load or two plugins claim one name. */
    public static final int PLUGIN_ERROR = 3;
    /** Another process holds the experiment's results folder. */
    public static final int LOCKED = 4;
    /** The tracking server refused the credentials or a request (run), or is unreachable (sync). */
    public static final int TRACKING = 5;
    /** The results store cannot be written or read (read-only folder, full disk, not a folder). */
    public static final int STORE = 6;
    /** A tool an export needs is missing: python, or its wandb package (`ablate export wandb`). */
    public static final int MISSING_TOOL = org.ablate.export.WandbExport.MISSING_WANDB;
    /** {@code run-trial}: the trial id is not in the experiment's plan (the file or the overrides changed). */
    public static final int UNKNOWN_TRIAL = 8;
    /**
     * {@code run-trial --attempt}: the store already shows the trial FINISHED (another attempt was
     * committed), so this attempt did not run and wrote nothing.
     */
    public static final int ALREADY_COMMITTED = org.ablate.spi.launch.TrialCommand.ALREADY_COMMITTED;
    /** The launcher's cluster cannot be reached (e.g. no Spark master answers at {@code launcher.master}). */
    public static final int LAUNCHER_UNAVAILABLE = 10;
    /** An unexpected error (a bug): the stack trace is printed. */
    public static final int INTERNAL_ERROR = 70;
    /** Stopped by Ctrl-C / SIGTERM (set by the JVM: 128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
