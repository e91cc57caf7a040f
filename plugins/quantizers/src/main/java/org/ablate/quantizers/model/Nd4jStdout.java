package org.ablate.quantizers.model;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * SameDiff 1.0.0-M2.1 prints "Added differentiated op …" with System.out.println, once per op,
 * when it first builds a graph's gradient function — about 30 lines per trial on the stdout that
 * the CLI's tables and summaries use. This installs, once, a System.out that drops exactly those
 * lines and passes everything else through unchanged.
 */
final class Nd4jStdout {

    private static final String NOISE = "Added differentiated op ";
    private static boolean installed;

    private Nd4jStdout() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        PrintStream original = System.out;
        System.setOut(new PrintStream(new LineFilter(original), true, StandardCharsets.UTF_8));
    }

    /** Buffers a line, then forwards it unless it is SameDiff's noise. */
    private static final class LineFilter extends OutputStream {
        private final PrintStream target;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void flush() {
            // a partial line (a prompt, a progress bar) goes out as is
            if (line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith(NOISE)) {
                target.write(line.toByteArray(), 0, line.size());
                line.reset();
            }
            target.flush();
        }

        private void emit() {
            if (!line.toString(StandardCharsets.UTF_8).startsWith(NOISE)) {
                target.write(line.toByteArray(), 0, line.size());
            }
            line.reset();
        }
    }
}
