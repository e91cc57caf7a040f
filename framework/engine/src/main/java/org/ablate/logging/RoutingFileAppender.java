package org.ablate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A logback appender writing each event to the file named by the event's {@link LogRouting#LOG_FILE}
 * MDC value; events without it are left to the console appender. Files are opened on first use
 * and closed with {@link #closeFile(Path)} when their trial ends.
 */
public final class RoutingFileAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final Map<String, Writer> OPEN = new ConcurrentHashMap<>();

    private Layout<ILoggingEvent> layout;

    public void setLayout(Layout<ILoggingEvent> layout) {
        this.layout = layout;
    }

    @Override
    public void start() {
        if (layout == null) {
            addError("RoutingFileAppender needs a layout");
            return;
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String file = event.getMDCPropertyMap().get(LogRouting.LOG_FILE);
        if (file == null) {
            return;
        }
        String text = layout.doLayout(event);
        Writer writer = OPEN.computeIfAbsent(file, RoutingFileAppender::open);
        if (writer == null) {
            return;
        }
        synchronized (writer) {
            try {
                writer.write(text);
                writer.flush();
            } catch (IOException e) {
                addWarn("cannot write log " + file + ": " + e.getMessage());
            }
        }
    }

    private static Writer open(String file) {
        try {
            Path path = Path.of(file);
            Files.createDirectories(path.getParent());
            // a stream, not Files.newBufferedWriter's channel: the thread of a cancelled trial has its
            // interrupt flag set, and an interrupted channel closes for good
            return new java.io.BufferedWriter(new java.io.OutputStreamWriter(
                    new java.io.FileOutputStream(path.toFile(), true), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** True while a routed log file is open: its trial may still write to it. */
    public static boolean isOpen(Path file) {
        return OPEN.containsKey(file.toAbsolutePath().toString());
    }

    /** Closes a routed log file (its trial ended); a later event would reopen it for appending. */
    public static void closeFile(Path file) {
        Writer w = OPEN.remove(file.toAbsolutePath().toString());
        if (w != null) {
            synchronized (w) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // nothing left to save
                }
            }
        }
    }
}
