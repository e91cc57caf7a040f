package org.ablate.spi.task;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Drains a program's stdout and stderr on their own threads (a full pipe would stop the program)
 * into the trial's log, line by line, and keeps the last lines of stderr for a failure's record.
 */
final class ProgramOutput {

    private static final int MAX_LINE = 2_000;

    private final OutputStream log;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final int keep;
    private final Thread out;
    private final Thread err;

    ProgramOutput(Process program, OutputStream log, int keep, String name) {
        this.log = log;
        this.keep = keep;
        this.out = drain(program.getInputStream(), false, name + "-stdout");
        this.err = drain(program.getErrorStream(), true, name + "-stderr");
    }

    private Thread drain(InputStream stream, boolean stderr, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    write(line);
                    if (stderr) {
                        keep(line);
                    }
                }
            } catch (IOException closed) {
                // the program is gone: what was read is its output
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void write(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (log) {
            try {
                log.write(bytes);
                log.flush();
            } catch (IOException e) {
                // the log is best effort; the stderr tail still reaches the status
            }
        }
    }

    private void keep(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + " ..." : line);
            if (stderrTail.size() > keep) {
                stderrTail.removeFirst();
            }
        }
    }

    /** Waits (briefly: a grandchild may hold the pipes open) until both streams are drained. */
    void awaitEnd() throws InterruptedException {
        out.join(2_000);
        err.join(2_000);
    }

    /** The last lines the program wrote to stderr. */
    String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /** The last non-blank stderr line (a Python traceback's last line names the exception), or "". */
    String lastStderrLine() {
        synchronized (stderrTail) {
            var it = stderrTail.descendingIterator();
            while (it.hasNext()) {
                String line = it.next().strip();
                if (!line.isEmpty()) {
                    return line;
                }
            }
            return "";
        }
    }
}
