package org.ablate.slurm;

/** A Slurm command that could not run or refused what it was asked; the message is one line, Slurm's own words. */
final class SlurmException extends Exception {

    private static final long serialVersionUID = 1L;

    SlurmException(String message) {
        super(message);
    }
}
