package org.ablate.spi.launch;

import java.util.List;

/**
 * Decides where a sweep's trials run (Hydra's Launcher: the sweep says what runs, a launcher where).
 * The engine keeps everything else: the experiment's lock, the results store, the progress display,
 * MLflow, Ctrl-C. A launcher is registered as a component of this kind; its options are declared by
 * its parameter schema and reach it validated, through {@link LaunchContext#options()}.
 *
 * <p>{@link #launch} runs the given trials, at most {@link LaunchContext#parallelism()} at once, and
 * returns once each trial it started has been reported ended. A trial runs either in this JVM
 * ({@link LaunchContext#inProcess}) or elsewhere through {@link LaunchContext#command}, announced
 * with {@link LaunchContext#starting} and reported with {@link LaunchContext#ended}.
 */
public interface Launcher {

    void launch(List<LaunchTrial> trials, LaunchContext context) throws InterruptedException;

    /**
     * Refuses, before anything is written (and in a dry run), a sweep this launcher cannot run as
     * asked, e.g. GPUs where it has none to hand out: throw {@link IllegalArgumentException} with a
     * one-line reason naming the option or resource. Accepts everything by default.
     *
     * @param resources what each trial asks for ({@code resources:})
     * @param options the launcher's options, already checked against its schema
     */
    default void check(Resources resources, org.ablate.spi.Parameters options) {
    }

    /**
     * What this launcher's scheduler says now about the trials it was given for this experiment (a
     * detached submission), one line each, for {@code ablate status}; none by default.
     *
     * @param experimentDir the experiment's results folder ({@link LaunchContext#experimentDir()})
     */
    default List<String> queue(java.nio.file.Path experimentDir) {
        return List.of();
    }

    /**
     * The staged attempts of this experiment that this launcher's scheduler may still write: the
     * tasks of an earlier, detached submission that are still queued or running. The sweep that
     * starts leaves them staged and does not count them as left by a driver that died (which it
     * commits when FINISHED, and otherwise moves to {@code .attempts/}): moving the folder of an
     * attempt that still runs would take its work from under it, and the trial would run again.
     * When the scheduler cannot be asked, answer conservatively: every attempt that may still run
     * is live. {@link LiveAttempts#NONE} by default, since the built-in launchers' trials end with
     * the process that started them.
     *
     * @param experimentDir the experiment's results folder ({@link LaunchContext#experimentDir()})
     */
    default LiveAttempts liveAttempts(java.nio.file.Path experimentDir) {
        return LiveAttempts.NONE;
    }
}
