package org.ablate.spi.launch;

/**
 * What a launcher's {@link Launcher#check} throws when the cluster it is to submit to cannot be
 * reached (a master that does not answer): not bad input, so it has its own exit code. The message
 * is one line naming the option and what was tried.
 */
public final class LauncherUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LauncherUnavailableException(String message) {
        super(message);
    }
}
