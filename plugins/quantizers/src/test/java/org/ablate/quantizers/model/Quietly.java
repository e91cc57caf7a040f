package org.ablate.quantizers.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Runs a call with System.out and System.err muted: SameDiff prints a line per op when it first
 * builds a gradient function, and ND4J's op registry warns about duplicate TF mappings when first loaded.
 */
public final class Quietly {

    private Quietly() {
    }

    public static synchronized <T> T run(Supplier<T> call) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return call.get();
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
