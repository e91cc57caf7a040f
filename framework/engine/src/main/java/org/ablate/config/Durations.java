package org.ablate.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: 90s, 10m, 1.5h, 500ms, a number of seconds, or ISO PT10M. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(Object value, Origin origin) {
        if (value instanceof Number n) {
            return ofMillis(n.doubleValue() * 1_000, value, origin); // a bare number is seconds
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = amount * switch (unit) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            return ofMillis(millis, value, origin);
        }
        try {
            Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
            if (d.toMillis() < 1) {
                throw invalid(value, origin);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw invalid(value, origin);
        }
    }

    private static Duration ofMillis(double millis, Object value, Origin origin) {
        if (!(millis >= 1) || millis > 1e15) {
            throw invalid(value, origin);
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** "1h 2m 3.4s" style, for tables and messages. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
    }

    private static ConfigException invalid(Object value, Origin origin) {
        return new ConfigException(origin, "invalid duration " + Values.describe(value)
                + " (accepted: at least 1ms, as a number with unit ms, s, m, h or d, e.g. 90s, 10m, 1.5h)");
    }
}
