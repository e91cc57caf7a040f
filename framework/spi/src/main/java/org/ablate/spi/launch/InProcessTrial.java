package org.ablate.spi.launch;

import java.util.concurrent.CompletableFuture;

/**
 * A trial run on its own thread in this JVM, made by {@link LaunchContext#inProcess}. The engine
 * records its start and end and stops it on Ctrl-C; its launcher starts it and enforces its timeout.
 */
public interface InProcessTrial {

    /** Starts the trial's thread; false (and nothing started) when the sweep is stopping. */
    boolean start();

    /** Completes when the trial's end is recorded (or it was given up on). */
    CompletableFuture<Void> done();

    /** Asks the trial to stop because its time is up; it ends FAILED with this reason. */
    void timeOut(String reason);

    /** Records the trial FAILED without waiting for a task that ignored its cancellation. */
    void giveUp(String reason);
}
