package org.ablate.spi.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.spi.MetricsSink;
import org.ablate.spi.ProgressReporter;

/**
 * Follows what a program writes through the protocol in its records folder — metrics.jsonl lines,
 * progress.json, summary.json — and relays it to the trial's own sinks, so the trial's records (and
 * MLflow, live) come from the framework's writers exactly as for a Java task. The first line that is
 * not a metric point stops the relay and is kept as the trial's failure reason.
 */
final class ProgramRecords {

    static final String METRICS = "metrics.jsonl";
    static final String SUMMARY = "summary.json";
    static final String PROGRESS = "progress.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();
    private static final int MAX_QUOTED = 200;

    private final Path dir;
    private final MetricsSink metrics;
    private final ProgressReporter progress;
    private long offset;
    private long lineNumber;
    private final StringBuilder partial = new StringBuilder();
    private String malformed;
    private long progressStamp = -1;
    private long lastTotal = -1;

    ProgramRecords(Path dir, MetricsSink metrics, ProgressReporter progress) {
        this.dir = dir;
        this.metrics = metrics;
        this.progress = progress;
    }

    /** Relays what was written since the last call. */
    void poll() throws IOException {
        pollMetrics();
        pollProgress();
    }

    /** The reason the relay stopped (a malformed line), or null. */
    String malformed() {
        return malformed;
    }

    /** After the program exited: a last line without its newline is cut off, so malformed too. */
    void finish() throws IOException {
        poll();
        if (malformed == null && !partial.toString().isBlank()) {
            malformed = where(lineNumber + 1) + " ends without a newline (cut off?): " + quote(partial.toString());
        }
    }

    private void pollMetrics() throws IOException {
        Path file = dir.resolve(METRICS);
        if (malformed != null || !Files.isRegularFile(file)) {
            return;
        }
        byte[] fresh;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return;
            }
            fresh = new byte[(int) Math.min(length - offset, 1 << 24)];
            in.seek(offset);
            in.readFully(fresh);
        }
        // only whole lines are relayed: the rest waits for its newline (multi-byte characters never split a line)
        int end = lastNewline(fresh);
        if (end < 0) {
            partial.setLength(0);
            partial.append(new String(fresh, StandardCharsets.UTF_8));
            return;
        }
        offset += end + 1;
        partial.setLength(0);
        String text = new String(fresh, 0, end, StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String problem = relay(line);
            if (problem != null) {
                malformed = where(lineNumber) + " " + problem + ": " + quote(line);
                return;
            }
        }
        String rest = new String(fresh, end + 1, fresh.length - end - 1, StandardCharsets.UTF_8);
        partial.append(rest);
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Relays one line; returns what is wrong with it, or null. */
    private String relay(String line) {
        Map<String, Object> m;
        try {
            var node = JSON.readTree(line);
            if (node == null || !node.isObject()) {
                return "is not a JSON object";
            }
            m = JSON.convertValue(node, new TypeReference<Map<String, Object>>() { });
        } catch (IOException | RuntimeException e) {
            return "is not valid JSON";
        }
        if (!(m.get("step") instanceof Long step)) {
            return "has no integer 'step'";
        }
        if (!(m.get("name") instanceof String name) || name.isEmpty()) {
            return "has no 'name' (a non-empty string)";
        }
        Double value = number(m.get("value"));
        if (value == null) {
            return "has no numeric 'value' (a number, or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        Object time = m.get("timestamp");
        if (time != null && !(time instanceof Long)) {
            return "has a 'timestamp' that is not integer epoch milliseconds";
        }
        if (time == null) {
            metrics.log(step, name, value);
        } else {
            metrics.log(step, name, value, (Long) time);
        }
        return null;
    }

    private void pollProgress() {
        Path file = dir.resolve(PROGRESS);
        try {
            long stamp = Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
            if (stamp == progressStamp) {
                return;
            }
            progressStamp = stamp;
            Map<String, Object> p = JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Object>>() { });
            if (p.get("total") instanceof Long total && total != lastTotal) {
                progress.total(total);
                lastTotal = total;
            }
            if (p.get("done") instanceof Long done) {
                progress.update(done);
            }
            if (p.get("message") instanceof String message) {
                progress.message(message);
            }
        } catch (IOException | RuntimeException absentOrBeingReplaced) {
            // progress is advisory: the next poll reads the next version
        }
    }

    /**
     * The program's summary.json (empty when it wrote none), or a reason why it cannot be the trial's
     * summary: not a JSON object, or a value that is not a finite number.
     */
    Map<String, Double> summary() throws SummaryProblem {
        Path file = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, Object> raw;
        try {
            raw = JSON.readValue(Files.readAllBytes(file), new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException | RuntimeException e) {
            throw new SummaryProblem("the program's " + file + " is not a JSON object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw == null ? Map.<String, Object>of().entrySet() : raw.entrySet()) {
            Double v = number(e.getValue());
            if (v == null || !Double.isFinite(v)) {
                throw new SummaryProblem("the program's summary value '" + e.getKey() + "' is "
                        + quote(String.valueOf(e.getValue())) + ": a summary value must be a finite number (" + file + ")");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return switch (String.valueOf(value)) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    private String where(long line) {
        return "metrics line " + line + " of " + dir.resolve(METRICS);
    }

    private static String quote(String text) {
        String t = text.strip();
        return t.length() > MAX_QUOTED ? t.substring(0, MAX_QUOTED) + " ..." : t;
    }

    /** Why the program's summary cannot be recorded. */
    static final class SummaryProblem extends Exception {
        SummaryProblem(String message) {
            super(message);
        }
    }
}
