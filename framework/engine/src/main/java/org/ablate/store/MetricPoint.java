package org.ablate.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One line of a trial's {@code metrics.jsonl}: {@code {"step":…,"name":…,"value":…,"timestamp":…}}.
 * A non-finite value is the string "NaN", "Infinity" or "-Infinity" (see {@link Json}).
 *
 * @param name      null in a line without one
 * @param timestamp epoch milliseconds; null in a line without one
 */
public record MetricPoint(long step, String name, double value, Long timestamp) {

    /** The line as written, without its newline. */
    public String toLine() {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("step", step);
        m.put("name", name);
        m.put("value", value);
        m.put("timestamp", timestamp);
        return Json.line(m);
    }

    /**
     * The point of one line; empty for a blank line, one cut by a crash, or one without a numeric
     * step and value, so the rest of the history still counts.
     */
    public static Optional<MetricPoint> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> m;
        try {
            m = Json.MAPPER.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException | RuntimeException torn) {
            return Optional.empty();
        }
        if (m == null || !(m.get("step") instanceof Number step) || !Json.isNumber(m.get("value"))) {
            return Optional.empty();
        }
        return Optional.of(new MetricPoint(step.longValue(), RecordFields.text(m.get("name")), Json.toDouble(m.get("value")),
                m.get("timestamp") instanceof Number t ? t.longValue() : null));
    }
}
