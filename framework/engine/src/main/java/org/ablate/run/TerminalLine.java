package org.ablate.run;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Draws the progress line in place on the console: carriage return, the line, erase to its end.
 * The width comes from a JLine terminal built with {@code nativeSignals(false)}: the progress bar
 * library's own terminal installs the default SIGINT handler, which kills the JVM on Ctrl-C
 * before its shutdown hook can record the running trials INTERRUPTED.
 */
final class TerminalLine implements ProgressBarConsumer {

    private static final int FALLBACK_WIDTH = 80;

    private final PrintStream out;
    private final Terminal terminal;

    TerminalLine(PrintStream out) {
        this.out = out;
        this.terminal = open();
    }

    private static Terminal open() {
        try {
            return TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false)
                    .signalHandler(Terminal.SignalHandler.SIG_DFL).build();
        } catch (Exception | LinkageError e) {
            return null; // no terminal to ask: the fallback width
        }
    }

    @Override
    public int getMaxRenderedLength() {
        int width = terminal == null ? 0 : terminal.getWidth();
        if (width <= 0) {
            try {
                width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            } catch (NumberFormatException e) {
                width = FALLBACK_WIDTH;
            }
        }
        return width;
    }

    @Override
    public void accept(String line) {
        out.print("\r" + line + "\u001b[K");
        out.flush();
    }

    @Override
    public void close() {
        out.println();
        out.flush();
        if (terminal != null) {
            try {
                terminal.close();
            } catch (java.io.IOException ignored) {
                // the width was all it was for
            }
        }
    }
}
