package org.ablate.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the results store that exists but cannot be used: truncated, not JSON, the wrong
 * shape, or missing a field. The message names the file and what is wrong, in one line, so
 * status, report and verify can print it as a warning and carry on without that trial.
 */
public class StoreDamage extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public StoreDamage(Path file, String problem) {
        super(file + ": " + printable(problem));
        this.file = file;
    }

    /** Control characters (a NUL-filled file's) would garble the one-line message. */
    private static String printable(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    public Path file() {
        return file;
    }
}
