package org.ablate.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tolerant reads of one field of a store record's JSON object, as the readers before the typed
 * records took them: a field of another JSON type than expected reads as absent (or, for text, as
 * its JSON text), never as a failure, so a file another version wrote stays readable.
 */
final class RecordFields {

    private RecordFields() {
    }

    /** A text field: a string as it is, a number or boolean as its text, absent or null as null. */
    static String text(Object value) {
        return value == null ? null : value instanceof String s ? s : String.valueOf(value);
    }

    /** An object field with string keys; anything else is an empty map. */
    static Map<String, Object> object(Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
        }
        return out;
    }

    /** A list of texts; anything else is an empty list. */
    static List<String> texts(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    /** The fields of {@code json} this version does not know, in the file's order (kept so a rewrite loses nothing). */
    static Map<String, Object> unknown(Map<String, Object> json, Set<String> known) {
        Map<String, Object> out = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (!known.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** An unmodifiable copy that keeps nulls and order (Map.copyOf refuses null values, which JSON has). */
    static Map<String, Object> copy(Map<String, ?> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
