package org.ablate.spi.launch;

/**
 * Which staged attempts of an experiment ({@code run-trial --attempt TOKEN}) a launcher's scheduler
 * may still be writing: the tasks of a detached submission that are still queued or running. The
 * next sweep's start leaves those staged (the sweep that attaches to them commits them) instead of
 * taking them for what a driver that died left behind. See {@link Launcher#liveAttempts}.
 */
@FunctionalInterface
public interface LiveAttempts {

    /**
     * Nothing of the experiment runs outside the sweep that starts: every staged attempt is a
     * leftover, and the staging folder itself may be tidied away (no task is about to create one).
     */
    LiveAttempts NONE = attempt -> false;

    /** Whether the attempt with this token may still be written by a task that is queued or running. */
    boolean isLive(String attempt);

    /**
     * False when the scheduler could not be asked and {@link #isLive} answers, to be safe, for every
     * task the launcher recorded, whether it still runs or not (e.g. squeue unreachable).
     */
    default boolean confirmed() {
        return true;
    }

    /** The answer of a launcher that could not ask its scheduler: {@code recorded} says which attempts it submitted. */
    static LiveAttempts unconfirmed(LiveAttempts recorded) {
        return new LiveAttempts() {
            @Override
            public boolean isLive(String attempt) {
                return recorded.isLive(attempt);
            }

            @Override
            public boolean confirmed() {
                return false;
            }
        };
    }
}
