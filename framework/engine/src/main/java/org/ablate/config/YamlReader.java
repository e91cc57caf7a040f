package org.ablate.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML into {@link YamlNode}s that remember their line. Safe by construction: it only
 * composes the node graph (YAML 1.2 core schema) and builds plain values itself, so no tag can
 * construct a class; an explicit non-standard tag is an error.
 */
public final class YamlReader {

    private YamlReader() {
    }

    /** Parses one document; an empty document is an empty mapping. */
    public static YamlNode read(String text, String source) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(50)
                .setCodePointLimit(8 * 1024 * 1024)
                .build();
        Optional<Node> root;
        try {
            YamlLimits.check(text, settings, source); // before composing, which recurses per level
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int lines = (int) text.lines().count();
            // past the end (an unclosed bracket): point at the last line
            int line = e.getProblemMark().map(m -> Math.min(m.getLine() + 1, Math.max(lines, 1))).orElse(0);
            throw new ConfigException(line > 0 ? source + ":" + line : source,
                    "invalid YAML: " + e.getProblem());
        } catch (ReaderException e) {
            throw nonPrintable(text, source, e);
        } catch (YamlEngineException e) {
            throw new ConfigException(source, "invalid YAML: " + e.getMessage().replace('\n', ' '));
        }
        Origin top = new Origin(source, 1, "(top level)");
        return root.map(n -> convert(n, source, "")).orElse(new YamlNode(new LinkedHashMap<String, YamlNode>(), top));
    }

    /** A NUL or other control character: snakeyaml names neither it nor its line. */
    private static ConfigException nonPrintable(String text, String source, ReaderException e) {
        int line = 1;
        int column = 1;
        int[] codePoints = text.codePoints().limit(Math.max(0, e.getPosition())).toArray();
        for (int c : codePoints) {
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new ConfigException(source + ":" + line, String.format(java.util.Locale.ROOT,
                "invalid YAML: control character U+%04X at line %d, column %d"
                        + " (accepted: printable text, tabs and line breaks; is this a binary file?)",
                e.getCodePoint(), line, column));
    }

    private static YamlNode convert(Node node, String source, String path) {
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        Origin origin = new Origin(source, line, path.isEmpty() ? "(top level)" : path);
        if (node instanceof MappingNode map) {
            requireTag(node, Tag.MAP, origin);
            Map<String, YamlNode> out = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                YamlNode key = convert(tuple.getKeyNode(), source, path);
                if (!key.isScalar() || key.value() == null) {
                    throw new ConfigException(key.origin(), "mapping keys must be plain scalars");
                }
                String k = String.valueOf(key.value());
                String childPath = path.isEmpty() ? k : path + "." + k;
                if (out.containsKey(k)) {
                    throw new ConfigException(new Origin(source, key.origin().line(), childPath),
                            "duplicate key (first written on line " + out.get(k).origin().line() + ")");
                }
                // a value is located at its key's line: for a block mapping or list the
                // value's own start is the line below, which is not where the user looks
                YamlNode value = convert(tuple.getValueNode(), source, childPath);
                out.put(k, new YamlNode(value.value(), new Origin(source, key.origin().line(), childPath)));
            }
            return new YamlNode(out, origin);
        }
        if (node instanceof SequenceNode seq) {
            requireTag(node, Tag.SEQ, origin);
            List<YamlNode> out = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) {
                out.add(convert(item, source, path + "[" + i++ + "]"));
            }
            return new YamlNode(out, origin);
        }
        return new YamlNode(scalar((ScalarNode) node, origin), origin);
    }

    private static void requireTag(Node node, Tag expected, Origin origin) {
        if (!node.getTag().equals(expected)) {
            throw new ConfigException(origin, "unsupported YAML tag " + node.getTag()
                    + " (accepted: plain strings, numbers, booleans, lists and mappings)");
        }
    }

    private static Object scalar(ScalarNode node, Origin origin) {
        Tag tag = node.getTag();
        String text = node.getValue();
        if (tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG)) {
            // a plain ${NAME} resolves to the ENV tag; it is kept as text, never substituted
            // (W&B sweep files carry ${program} and ${args} in their command lists)
            return text;
        }
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        try {
            if (tag.equals(Tag.BOOL)) {
                return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new NumberFormatException();
                };
            }
            if (tag.equals(Tag.INT)) {
                return parseInt(text, origin);
            }
            if (tag.equals(Tag.FLOAT)) {
                return parseFloat(text, origin);
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(origin, "'" + text + "' is not a valid " + tag.getValue().replace("tag:yaml.org,2002:", "!!"));
        }
        throw new ConfigException(origin, "unsupported YAML tag " + tag
                + " (accepted: plain strings, numbers, booleans, lists and mappings)");
    }

    // YAML 1.2 core schema forms, also enforced for explicitly tagged scalars
    private static final java.util.regex.Pattern INT = java.util.regex.Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    private static final java.util.regex.Pattern FLOAT = java.util.regex.Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private static Long parseInt(String text, Origin origin) {
        if (!INT.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        String t = text;
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        int radix = 10;
        if (t.startsWith("0x")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.startsWith("0o")) {
            radix = 8;
            t = t.substring(2);
        }
        BigInteger v = new BigInteger(t, radix);
        if (sign < 0) {
            v = v.negate();
        }
        if (v.bitLength() > 63) {
            throw new ConfigException(origin, "integer " + text + " does not fit in 64 bits");
        }
        return v.longValue();
    }

    private static Double parseFloat(String text, Origin origin) {
        if (!FLOAT.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        String t = text.toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> {
                double d = Double.parseDouble(t);
                if (Double.isInfinite(d)) { // 1e400 would silently become infinity
                    throw new ConfigException(origin, "number " + text + " does not fit in a 64-bit float"
                            + " (accepted: magnitudes up to 1.8e308; write .inf for infinity)");
                }
                yield d;
            }
        };
    }
}
