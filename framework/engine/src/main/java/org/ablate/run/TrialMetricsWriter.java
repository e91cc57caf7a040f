package org.ablate.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.spi.MetricsSink;
import org.ablate.spi.TrialCancelledException;
import org.ablate.store.AtomicFiles;
import org.ablate.store.MetricPoint;
import org.ablate.store.StoreException;
import org.ablate.store.TrialFolder;
import org.ablate.tracking.TrialTracker;

/**
 * Appends a trial's metric points to metrics.jsonl, one JSON object a line
 * ({@code {"step":0,"name":"train/loss","value":0.5,"timestamp":1700000000000}}), keeps its summary
 * values, and writes artifacts atomically. Each point then goes to the sweep's tracker (MLflow) with
 * the same timestamp, so a later replay from the file sends identical points. After {@link #close()} (the trial ended or was given up
 * on) any further call throws, which also stops a task that ignored its cancellation.
 */
final class TrialMetricsWriter implements MetricsSink, AutoCloseable {

    private static final long FLUSH_INTERVAL_MS = 1_000;
    /**
     * Flushes points that wait in a buffer: a task that logs a burst and then computes (or a program
     * whose points are relayed) would otherwise keep them from the file's followers (MLflow, the
     * process launcher's parent) until its next point.
     */
    private static final java.util.concurrent.ScheduledExecutorService FLUSHER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "metrics-flush");
                t.setDaemon(true);
                return t;
            });

    private final TrialFolder folder;
    private final TrialTracker mirror;
    private final FileOutputStream file;
    private final BufferedWriter out;
    private final Map<String, Double> summary = new LinkedHashMap<>();
    private long lastFlush = System.currentTimeMillis();
    private long points;
    private boolean closed;
    private boolean unflushed;
    private final java.util.concurrent.ScheduledFuture<?> flusher;

    TrialMetricsWriter(TrialFolder folder, TrialTracker mirror) throws IOException {
        this.folder = folder;
        this.mirror = mirror;
        // a stream, not a FileChannel: an interrupt (the trial's cancellation) would close a channel and lose the buffer
        try {
            this.file = new FileOutputStream(folder.file(TrialFolder.METRICS).toFile(), true);
        } catch (IOException e) {
            throw StoreException.cannotWrite(folder.file(TrialFolder.METRICS), e);
        }
        this.out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), 1 << 16);
        this.flusher = FLUSHER.scheduleWithFixedDelay(this::flushIfDue, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void flushIfDue() {
        if (closed || !unflushed || System.currentTimeMillis() - lastFlush < FLUSH_INTERVAL_MS) {
            return;
        }
        try {
            out.flush();
            unflushed = false;
            lastFlush = System.currentTimeMillis();
        } catch (IOException e) {
            // the trial's next write or its close reports the failure
        }
    }

    @Override
    public void log(long step, String name, double value) {
        log(step, name, value, System.currentTimeMillis());
    }

    @Override
    public synchronized void log(long step, String name, double value, long timestamp) {
        checkOpen();
        try {
            out.write(new MetricPoint(step, name, value, timestamp).toLine());
            out.write('\n');
            points++;
            unflushed = true;
            mirror.metric(step, name, value, timestamp); // after the store has it: the store is the truth
            long now = System.currentTimeMillis();
            if (now - lastFlush >= FLUSH_INTERVAL_MS) {
                out.flush();
                unflushed = false;
                lastFlush = now;
            }
        } catch (IOException e) {
            throw StoreException.cannotWrite(folder.file(TrialFolder.METRICS), e);
        }
    }

    @Override
    public synchronized void summary(String name, double value) {
        checkOpen();
        summary.put(name, value);
    }

    @Override
    public Path artifact(String relativePath, ArtifactWriter writer) throws IOException {
        synchronized (this) {
            checkOpen();
        }
        Path base = folder.file(TrialFolder.ARTIFACTS).toAbsolutePath().normalize();
        Path target = base.resolve(relativePath).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException("artifact path '" + relativePath + "' must stay inside the artifacts folder");
        }
        AtomicFiles.write(target, writer::write);
        return target;
    }

    synchronized Map<String, Double> summary() {
        return new LinkedHashMap<>(summary);
    }

    synchronized long points() {
        return points;
    }

    /** Flushes and forces the metrics to disk; later calls throw. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flusher.cancel(false);
        try {
            out.flush();
            file.getFD().sync();
        } catch (IOException e) {
            throw StoreException.cannotWrite(folder.file(TrialFolder.METRICS), e);
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // the flush above already said what is wrong
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new TrialCancelledException("the trial has ended; its metrics are closed");
        }
    }

    static void ensureFolders(TrialFolder folder) {
        try {
            Files.createDirectories(folder.dir());
        } catch (IOException e) {
            throw StoreException.cannotWrite(folder.dir(), e);
        }
    }
}
