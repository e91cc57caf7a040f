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
}
