package org.ablate.store;

/**
 * The results store cannot be written or read: a read-only folder, a full disk, a results path
 * that is not a folder. The message names the path and what went wrong, in one line.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
