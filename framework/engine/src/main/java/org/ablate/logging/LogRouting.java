package org.ablate.logging;

import java.nio.file.Path;
import org.slf4j.MDC;

/**
 * Routes log events to a file chosen per thread: the sweep thread writes to the experiment's
 * sweep.log, each trial thread to its own trial.log. Parallel trials never interleave their logs.
 */
public final class LogRouting {

    /** The MDC key holding the absolute path of the current thread's log file. */
    public static final String LOG_FILE = "ablate.logFile";

    private LogRouting() {
    }

    /** Routes this thread's events to {@code file} until the returned handle is closed. */
    public static MDC.MDCCloseable routeTo(Path file) {
        return MDC.putCloseable(LOG_FILE, file.toAbsolutePath().toString());
    }
}
