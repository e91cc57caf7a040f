package org.ablate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one JSON configuration of the results store: pretty files, one-line records, and
 * non-finite numbers written as the strings "NaN", "Infinity", "-Infinity" so every file stays
 * valid JSON.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value, e);
        }
    }

    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value, e);
        }
    }

    public static void writeAtomically(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, pretty(value));
    }

    public static Map<String, Object> readMap(Path file) throws IOException {
        return MAPPER.readValue(Files.readAllBytes(file), new TypeReference<Map<String, Object>>() { });
    }

    /**
     * A JSON object file of the store, or a {@link StoreDamage} saying in one line why it is not
     * one (empty, truncated, not JSON, another JSON type). A missing or unreadable file stays an
     * IOException of its own kind.
     */
    public static Map<String, Object> readObject(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0) {
            throw new StoreDamage(file, "the file is empty");
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            String message = firstLine(e.getOriginalMessage());
            if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException || message.startsWith("Unexpected end-of-input")) {
                throw new StoreDamage(file, "truncated JSON (it ends" + where(e) + " inside an unfinished value)");
            }
            throw new StoreDamage(file, (message.startsWith("Numeric value") ? "a number out of range" : "not valid JSON")
                    + where(e) + ": " + message);
        }
        if (node == null || node.isMissingNode()) {
            throw new StoreDamage(file, "holds no JSON value (only whitespace)");
        }
        if (!node.isObject()) {
            throw new StoreDamage(file, "holds a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                    + ", expected an object {...}");
        }
        return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() { });
    }

    private static String where(JsonProcessingException e) {
        var at = e.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String firstLine(String message) {
        String m = message == null ? "unreadable" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    /** True for what {@link #toDouble} accepts: a JSON number or one of the non-finite strings. */
    public static boolean isNumber(Object value) {
        return value instanceof Number
                || "NaN".equals(value) || "Infinity".equals(value) || "-Infinity".equals(value);
    }

    /** A number as written by this store: a JSON number, or one of the non-finite strings. */
    public static double toDouble(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        return switch (String.valueOf(value)) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new IllegalArgumentException("not a number: " + value);
        };
    }
}
