package org.ablate.config;

import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for raw configuration values. */
public final class Values {

    private Values() {
    }

    /** How messages quote a value: strings in quotes, numbers and booleans bare, null as "null". */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Values::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }

    /** Equality as a user means it: 1 equals 1.0; lists element by element. */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameValue(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** The shortest text for a value in names and tables: 0.001, 1000, true, [8, 8, 5]. */
    public static String format(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(Values::format).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue()) + ".0";
        }
        return String.valueOf(value);
    }
}
