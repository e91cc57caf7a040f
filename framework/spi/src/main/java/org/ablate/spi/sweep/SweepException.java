package org.ablate.spi.sweep;

import java.util.List;

/** A sweep section that cannot be read: the message, and the path of the part it is about (the user sees its line). */
public class SweepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Object> path;

    /**
     * @param path    the part of the section at fault (see {@link SweepSection}); a key that is
     *                missing is named as the last element of the path
     * @param message one line, naming what is accepted
     */
    public SweepException(List<Object> path, String message) {
        super(message);
        this.path = List.copyOf(path);
    }

    public List<Object> path() {
        return path;
    }
}
