package org.ablate.experiment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Values;

/**
 * The sweep forms of Hydra's basic sweeper in an override's value, so that a Hydra user's command
 * line works unchanged: {@code a,b} and {@code choice(a,b)} (each element a YAML value),
 * {@code range(start,stop[,step])} (stop exclusive; integers, or floats when any bound is one) and
 * {@code glob(include[,exclude=...])} over a choice or component parameter's accepted values,
 * resolved against the schema by {@link SweepExpander}. A quoted value ({@code 'a,b'}) is one
 * string, and {@code [a,b]} stays a YAML list.
 */
final class HydraSweepSyntax {

    /** A glob sweep, resolved once the schema says which values the parameter accepts. */
    record Glob(List<String> include, List<String> exclude, String written) {
    }

    /** More values than this in one range() is a typo (a step forgotten), not a sweep. */
    static final int MAX_RANGE_VALUES = 100_000;

    // Hydra functions this grammar does not run, named so they are not taken for plain strings
    private static final Set<String> UNSUPPORTED = Set.of("interval", "tag", "sort", "shuffle",
            "str", "int", "float", "bool", "json_str", "extend_list");

    private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile("([a-z_]+)\\s*=(.*)",
            java.util.regex.Pattern.DOTALL);

    private HydraSweepSyntax() {
    }

    /**
     * The values {@code text} sweeps over, a single {@link Glob}, or null when it is not a sweep
     * (one value, parsed as YAML by the caller).
     */
    static List<Object> parse(String text, Origin origin) {
        String t = text.strip();
        String function = functionName(t);
        if (function != null) {
            String inner = t.substring(function.length() + 1, t.length() - 1);
            List<String> args = inner.isBlank() ? List.of() : split(inner, origin);
            return switch (function) {
                case "choice" -> elements(args, origin, "choice()");
                case "range" -> range(args, origin);
                case "glob" -> List.of(glob(args, origin, t));
                default -> {
                    if (UNSUPPORTED.contains(function)) {
                        throw new ConfigException(origin, "Hydra's " + function + "() is not supported here"
                                + " (accepted: a,b or choice(a,b) or range(start,stop[,step]) or glob(pattern) to sweep,"
                                + " [a,b] for a list)");
                    }
                    yield null; // f(x): a plain string, e.g. an expression
                }
            };
        }
        List<String> parts = split(t, origin);
        return parts.size() > 1 ? elements(parts, origin, "a sweep") : null;
    }

    /** "range" for "range(1,5)"; null unless the whole text is one call of a lower-case name. */
    private static String functionName(String t) {
        int open = t.indexOf('(');
        if (open <= 0 || !t.endsWith(")") || !t.substring(0, open).matches("[a-z_]+")) {
            return null;
        }
        // the parenthesis that opens must be the one that closes the text: not "f(a),g(b)"
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0 && i < t.length() - 1) {
                return null;
            }
        }
        return t.substring(0, open);
    }

    /** Splits at commas outside brackets, braces, parentheses and quotes. */
    static List<String> split(String text, Origin origin) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if (c == ']' || c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(text.substring(start).strip());
        return out;
    }

    private static List<Object> elements(List<String> parts, Origin origin, String form) {
        if (parts.isEmpty()) {
            throw new ConfigException(origin, form + " needs at least one value (accepted: choice(a,b), or a,b)");
        }
        List<Object> values = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new ConfigException(origin, "empty element in " + form
                        + " (accepted: values separated by single commas, e.g. a,b; quote a value that contains a comma: 'a,b')");
            }
            values.add(CommandLineOverrides.yamlValue(part, origin).toPlain());
        }
        return values;
    }

    /** Positional or named arguments, Python style: f(1, stop=5); a positional after a named one is an error. */
    private static Map<String, String> arguments(List<String> args, List<String> names, Origin origin, String usage) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean named = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            java.util.regex.Matcher m = NAMED.matcher(a);
            String name;
            String value;
            if (m.matches()) {
                named = true;
                name = m.group(1);
                value = m.group(2).strip();
                if (!names.contains(name)) {
                    throw new ConfigException(origin, "unknown argument '" + name + "' (accepted: " + usage + ")");
                }
            } else {
                if (named || i >= names.size()) {
                    throw new ConfigException(origin, "unexpected argument '" + a + "' (accepted: " + usage + ")");
                }
                name = names.get(i);
                value = a;
            }
            if (value.isEmpty() || out.put(name, value) != null) {
                throw new ConfigException(origin, "argument '" + name + "' is empty or given twice (accepted: " + usage + ")");
            }
        }
        return out;
    }

    private static List<Object> range(List<String> args, Origin origin) {
        String usage = "range(start, stop[, step]): stop excluded, integers or floats";
        Map<String, String> a = arguments(args, List.of("start", "stop", "step"), origin, usage);
        if (!a.containsKey("start") || !a.containsKey("stop")) {
            throw new ConfigException(origin, "range needs a start and a stop (accepted: " + usage + ")");
        }
        Number start = number(a.get("start"), origin, usage);
        Number stop = number(a.get("stop"), origin, usage);
        Number step = a.containsKey("step") ? number(a.get("step"), origin, usage) : Long.valueOf(1);
        boolean integers = start instanceof Long && stop instanceof Long && step instanceof Long;
        // decimal arithmetic, so range(0, 1, 0.1) gives 0.3 and not 0.30000000000000004
        BigDecimal s = new BigDecimal(start.toString());
        BigDecimal e = new BigDecimal(stop.toString());
        BigDecimal d = new BigDecimal(step.toString());
        if (d.signum() == 0) {
            throw new ConfigException(origin, "range step must not be 0 (accepted: " + usage + ")");
        }
        BigDecimal count = e.subtract(s).divide(d, 0, java.math.RoundingMode.CEILING);
        if (count.signum() <= 0) {
            throw new ConfigException(origin, "range(" + start + ", " + stop + ", " + step + ") is empty: stop is excluded"
                    + " (accepted: " + usage + ")");
        }
        if (count.compareTo(BigDecimal.valueOf(MAX_RANGE_VALUES)) > 0) {
            throw new ConfigException(origin, "range gives " + count + " values, more than " + MAX_RANGE_VALUES
                    + " (accepted: " + usage + ")");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < count.intValue(); i++) {
            BigDecimal v = s.add(d.multiply(BigDecimal.valueOf(i)));
            values.add(integers ? (Object) v.longValueExact() : (Object) v.doubleValue());
        }
        return values;
    }

    private static Number number(String text, Origin origin, String usage) {
        Object v = CommandLineOverrides.yamlValue(text, origin).value();
        if (v instanceof Long || (v instanceof Double d && Double.isFinite(d))) {
            return (Number) v;
        }
        throw new ConfigException(origin, "range bound " + Values.describe(v) + " is not a finite number (accepted: " + usage + ")");
    }

    private static Glob glob(List<String> args, Origin origin, String written) {
        String usage = "glob(pattern), glob([p1,p2], exclude=pattern) over a choice or component parameter";
        Map<String, String> a = arguments(args, List.of("include", "exclude"), origin, usage);
        if (!a.containsKey("include")) {
            throw new ConfigException(origin, "glob needs a pattern (accepted: " + usage + ")");
        }
        return new Glob(patterns(a.get("include"), origin), a.containsKey("exclude") ? patterns(a.get("exclude"), origin) : List.of(),
                written);
    }

    private static List<String> patterns(String text, Origin origin) {
        String t = text.strip();
        List<String> parts = t.startsWith("[") && t.endsWith("]") ? split(t.substring(1, t.length() - 1), origin) : List.of(t);
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            String u = p.length() >= 2 && (p.startsWith("'") && p.endsWith("'") || p.startsWith("\"") && p.endsWith("\""))
                    ? p.substring(1, p.length() - 1) : p;
            if (u.isEmpty()) {
                throw new ConfigException(origin, "empty glob pattern (accepted: *, foo*, *bar, ?x)");
            }
            out.add(u);
        }
        return out;
    }
}
