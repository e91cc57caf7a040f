package org.ablate.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

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

    /** "cannot write results/x/sweep.json: read-only file system", from the file system's own error. */
    public static StoreException cannotWrite(Path path, IOException cause) {
        return new StoreException("cannot write " + path + ": " + whatIsWrong(cause), cause);
    }

    /** The operating system's reason, in lower case, without the path java.nio repeats in it. */
    static String whatIsWrong(IOException e) {
        if (e instanceof StoreFailure wrapped) {
            return whatIsWrong(wrapped.getCause());
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            // createDirectories meets a file where a folder should be
            return ((FileSystemException) e).getFile() + " is not a folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (reason == null || reason.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return reason.strip().toLowerCase(Locale.ROOT);
    }

    /** Marks an IOException as the store's own (not a task's) while it travels through a writer. */
    static final class StoreFailure extends IOException {
        private static final long serialVersionUID = 1L;

        StoreFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
