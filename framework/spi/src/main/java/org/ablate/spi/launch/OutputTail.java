package org.ablate.spi.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Drains a child's output on its own thread (a full pipe would stop the child) and keeps its last
 * lines, for the record of a child that died.
 */
final class OutputTail {

    private static final int MAX_LINE = 2_000;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int keep;
    private final Thread reader;

    OutputTail(InputStream output, int keep, String name) {
        this.keep = keep;
        this.reader = new Thread(() -> drain(output), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void drain(InputStream output) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " ..." : line);
                    if (lines.size() > keep) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException closed) {
            // the child is gone: what was read is the tail
        }
    }

    /** The last lines, once the child's output is closed (or after a short wait, for a grandchild holding it open). */
    String text() {
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
