package org.ablate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value with its origin. Scalars hold Long, Double, Boolean, String or null;
 * sequences a list of nodes; mappings an ordered map of nodes (keys are strings).
 */
public record YamlNode(Object value, Origin origin) {

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    public boolean isScalar() {
        return !isMap() && !isList();
    }

    @SuppressWarnings("unchecked")
    public Map<String, YamlNode> asMap() {
        if (!isMap()) {
            throw new ConfigException(origin, "expected a mapping of keys to values, got " + describe());
        }
        return (Map<String, YamlNode>) value;
    }

    @SuppressWarnings("unchecked")
    public List<YamlNode> asList() {
        if (!isList()) {
            throw new ConfigException(origin, "expected a list, got " + describe());
        }
        return (List<YamlNode>) value;
    }

    public String asString() {
        if (!(value instanceof String s)) {
            throw new ConfigException(origin, "expected a string, got " + describe());
        }
        return s;
    }

    public long asLong() {
        if (!(value instanceof Long l)) {
            throw new ConfigException(origin, "expected an integer, got " + describe());
        }
        return l;
    }

    /** The plain Java value: nested maps and lists of scalars, origins dropped. */
    public Object toPlain() {
        if (isMap()) {
            Map<String, Object> out = new LinkedHashMap<>();
            asMap().forEach((k, v) -> out.put(k, v.toPlain()));
            return out;
        }
        if (isList()) {
            return asList().stream().map(YamlNode::toPlain).toList();
        }
        return value;
    }

    public Sourced toSourced() {
        return new Sourced(toPlain(), origin);
    }

    /** How error messages quote a value: "a mapping", "a list", "'abc'", "1.5". */
    public String describe() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        return Values.describe(value);
    }
}
