package org.ablate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigErrors;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentKey;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.ParamType;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.ParameterSpec;
import org.ablate.spi.Parameters;

/**
 * Checks one configuration's raw values against the task's schema, and recursively against the
 * schema of every component a COMPONENT parameter selects (whose parameters nest under its key),
 * filling defaults. Every problem is a {@link ConfigException} naming where the value was written.
 */
public final class ParameterResolver {

    private final ComponentRegistry registry;

    public ParameterResolver(ComponentRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param raw dotted keys to values as the experiment wrote them
     * @param missingOrigin where to point when a required parameter is absent (the task line)
     */
    public Parameters resolve(ComponentDefinition task, Map<String, Sourced> raw, Origin missingOrigin) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        Map<String, ComponentDefinition> owners = new LinkedHashMap<>();
        owners.put("", task);
        ConfigErrors errors = new ConfigErrors();
        // keys whose value was refused: not unknown as well, nor (for a bad component name) the component's keys
        List<String> unresolved = new ArrayList<>();
        // the schema's keys in order, whether or not their values were good, so every message lists the same
        List<String> declared = new ArrayList<>();
        // what each formula evaluates to (a tracker's reader sees only the text otherwise)
        Map<String, Double> formulaValues = new LinkedHashMap<>();
        resolveSchema(task, "", raw, missingOrigin, resolved, owners, errors, unresolved, declared, formulaValues);
        java.util.Set<String> omitted = new java.util.LinkedHashSet<>();
        collectOmitted(task, "", resolved, omitted);
        for (Map.Entry<String, Sourced> e : raw.entrySet()) {
            if (!resolved.containsKey(e.getKey()) && unresolved.stream().noneMatch(u -> e.getKey().startsWith(u + "."))
                    && !unresolved.contains(e.getKey())) {
                errors.add(unknown(e.getKey(), e.getValue().origin(), declared, owners));
            }
        }
        errors.throwIfAny();
        return new Parameters(resolved, formulaValues, omitted);
    }

    /** Keys at a default their schema leaves out of trial ids (set or defaulted alike: the value decides). */
    private void collectOmitted(ComponentDefinition owner, String prefix, Map<String, Object> resolved, java.util.Set<String> out) {
        for (ParameterSpec spec : owner.schema().parameters()) {
            String key = prefix + spec.name();
            if (!resolved.containsKey(key)) {
                continue;
            }
            Object value = resolved.get(key);
            if (spec.omittedAtDefault() && value.equals(coerce(spec, spec.defaultValue(), new Origin("default", 0, key)))) {
                out.add(key);
            }
            if (spec.type() == ParamType.COMPONENT) {
                collectOmitted(registry.definition(spec.componentKind(), (String) value), key + ".", resolved, out);
            }
        }
    }

    private void resolveSchema(ComponentDefinition owner, String prefix, Map<String, Sourced> raw, Origin missingOrigin,
                               Map<String, Object> out, Map<String, ComponentDefinition> owners,
                               ConfigErrors errors, List<String> unresolved, List<String> declared,
                               Map<String, Double> formulaValues) {
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (ParameterSpec spec : owner.schema().parameters()) {
            String key = prefix + spec.name();
            declared.add(key);
            Sourced given = raw.get(key);
            Object value;
            try {
                if (given != null) {
                    origins.put(key, given.origin());
                    value = coerce(spec, given.value(), given.origin());
                } else if (!spec.required()) {
                    Origin defaultAt = new Origin("default declared by " + owner.key()
                            + " in " + owner.origin().getName(), 0, key);
                    origins.put(key, defaultAt);
                    value = coerce(spec, spec.defaultValue(), defaultAt);
                } else {
                    throw new ConfigException(missingOrigin.child(key, 0), "missing required parameter of "
                            + owner.key() + " (" + spec.acceptedDescription() + (spec.doc().isEmpty() ? "" : ": " + spec.doc()) + ")");
                }
            } catch (ConfigException e) {
                errors.add(e);
                unresolved.add(key);
                continue;
            }
            out.put(key, value);
            if (spec.type() == ParamType.COMPONENT) {
                ComponentDefinition chosen = registry.definition(spec.componentKind(), (String) value);
                owners.put(key, chosen);
                resolveSchema(chosen, key + ".", raw, missingOrigin, out, owners, errors, unresolved, declared, formulaValues);
            }
        }
        for (ParameterSpec spec : owner.schema().parameters()) {
            String key = prefix + spec.name();
            if (spec.type() == ParamType.EXPRESSION && out.containsKey(key)) {
                errors.collect(() -> {
                    Double x = evaluate(spec, out.get(key), prefix, out, origins.get(key));
                    if (x != null && out.get(key) instanceof String) {
                        formulaValues.put(key, x);
                    }
                });
            }
        }
    }

    /**
     * Evaluates an expression for this configuration when its variables are parameters of the
     * same component ({@code m: "4 * d"} with the task's n and d), so a formula that cannot give a
     * usable number fails validation instead of every trial.
     *
     * @return its value, or null when a variable is not fixed by the configuration (the task supplies it)
     */
    private static Double evaluate(ParameterSpec spec, Object value, String prefix, Map<String, Object> out, Origin origin) {
        Map<String, Double> variables = new LinkedHashMap<>();
        for (String v : spec.variables()) {
            if (!(out.get(prefix + v) instanceof Number n)) {
                return null; // a variable the configuration does not fix: the task supplies it
            }
            variables.put(v, n.doubleValue());
        }
        String with = variables.isEmpty() ? "" : " with " + variables.entrySet().stream()
                .map(e -> e.getKey() + " = " + Values.format(e.getValue()).replaceFirst("\\.0$", ""))
                .collect(java.util.stream.Collectors.joining(", "));
        double x;
        try {
            x = org.ablate.spi.Expressions.evaluate(value, variables);
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new ConfigException(origin, Values.describe(value) + " cannot be evaluated" + with + ": "
                    + String.valueOf(e.getMessage()).replaceFirst("!$", "").toLowerCase(java.util.Locale.ROOT)
                    + " (accepted: " + spec.acceptedDescription() + ")");
        }
        if (!Double.isFinite(x)) {
            throw new ConfigException(origin, Values.describe(value) + " evaluates to " + x + with
                    + " (accepted: " + spec.acceptedDescription() + ", finite)");
        }
        if ((spec.min() != null && x < spec.min()) || (spec.max() != null && x > spec.max())) {
            throw new ConfigException(origin, Values.describe(value) + " evaluates to " + Values.format(x) + with
                    + ", out of range (accepted: " + spec.acceptedDescription() + ")");
        }
        return x;
    }

    private static ConfigException unknown(String key, Origin origin, List<String> resolved,
                                           Map<String, ComponentDefinition> owners) {
        // a misspelt swept key is the key's fault, not its first element's
        Origin at = new Origin(origin.source(), origin.line(), origin.key().replaceFirst("\\[\\d+\\]$", ""));
        int dot = key.lastIndexOf('.');
        String parent = dot < 0 ? "" : key.substring(0, dot);
        ComponentDefinition owner = owners.get(parent);
        if (owner == null) {
            return new ConfigException(at, "unknown parameter: no parameter '" + parent
                    + "' selects a component" + Suggestions.didYouMean(key, resolved)
                    + " (accepted: " + String.join(", ", resolved) + ")");
        }
        List<String> siblings = new ArrayList<>();
        for (String a : resolved) {
            int d = a.lastIndexOf('.');
            if ((d < 0 ? "" : a.substring(0, d)).equals(parent)) {
                siblings.add(a);
            }
        }
        return new ConfigException(at, "unknown parameter of " + owner.key() + hint(key, siblings)
                + " (accepted: " + (siblings.isEmpty() ? "none" : String.join(", ", siblings)) + ")");
    }

    /** A look-alike letter (Cyrillic 'х' for 'x') is named, since no suggestion explains it; else did-you-mean. */
    private static String hint(String key, List<String> candidates) {
        int foreign = key.codePoints().filter(c -> c > 0x7E).findFirst().orElse(-1);
        if (foreign < 0) {
            return Suggestions.didYouMean(key, candidates);
        }
        return String.format(java.util.Locale.ROOT, "; the key contains the non-ASCII character '%s' (U+%04X)",
                new String(Character.toChars(foreign)), foreign);
    }

    /** Converts a raw value to the declared type and checks allowed values and range. */
    public Object coerce(ParameterSpec spec, Object value, Origin origin) {
        ParamType type = spec.type();
        if (type.isList()) {
            if (!(value instanceof List<?> list)) {
                throw wrongType(spec, value, origin);
            }
            List<Object> out = new ArrayList<>(list.size());
            ParamType element = switch (type) {
                case INTEGER_LIST -> ParamType.INTEGER;
                case REAL_LIST -> ParamType.REAL;
                default -> ParamType.STRING;
            };
            for (Object e : list) {
                out.add(checkBounds(spec, scalar(spec, element, e, origin), e, origin));
            }
            return List.copyOf(out);
        }
        if (type == ParamType.EXPRESSION) {
            if (value instanceof Long || value instanceof Double) {
                return checkBounds(spec, ((Number) value).doubleValue(), value, origin);
            }
            if (!(value instanceof String text)) {
                throw wrongType(spec, value, origin);
            }
            String problem = org.ablate.spi.Expressions.problem(text, spec.variables());
            if (problem != null) {
                throw new ConfigException(origin, "invalid expression '" + text + "': " + problem
                        + " (accepted: " + spec.acceptedDescription() + ")");
            }
            return text.strip();
        }
        Object v = scalar(spec, type, value, origin);
        if (type == ParamType.COMPONENT) {
            String name = (String) v;
            if (registry.find(spec.componentKind(), name).isEmpty()) {
                List<String> names = registry.names(spec.componentKind());
                throw new ConfigException(origin, "unknown " + ComponentKey.kindName(spec.componentKind()) + " '" + name + "'"
                        + Suggestions.didYouMean(name, names)
                        + " (accepted: " + (names.isEmpty() ? "none registered" : String.join(", ", names)) + ")");
            }
            return name;
        }
        return checkBounds(spec, v, value, origin);
    }

    private static Object scalar(ParameterSpec spec, ParamType type, Object value, Origin origin) {
        switch (type) {
            case INTEGER -> {
                if (value instanceof Long) {
                    return value;
                }
                if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15) {
                    return (long) (double) d; // 1e6 written for an integer is still an integer
                }
                throw wrongType(spec, value, origin);
            }
            case REAL -> {
                if (value instanceof Long l) {
                    return l.doubleValue();
                }
                if (value instanceof Double d) {
                    if (d == 0.0) {
                        return 0.0; // -0.0 and 0.0 are one configuration
                    }
                    if (d.isNaN()) {
                        throw new ConfigException(origin, "NaN is not a valid value (accepted: " + spec.acceptedDescription() + ")");
                    }
                    return d;
                }
                throw wrongType(spec, value, origin);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    return value;
                }
                throw wrongType(spec, value, origin);
            }
            default -> {
                if (value instanceof String) {
                    return value;
                }
                throw wrongType(spec, value, origin);
            }
        }
    }

    private static Object checkBounds(ParameterSpec spec, Object v, Object written, Origin origin) {
        if (!spec.allowed().isEmpty() && !spec.allowed().contains(String.valueOf(v))) {
            throw new ConfigException(origin, Values.describe(written) + " is not accepted"
                    + Suggestions.didYouMean(String.valueOf(v), spec.allowed())
                    + " (accepted: " + spec.acceptedDescription() + ")");
        }
        if (v instanceof Number n) {
            double x = n.doubleValue();
            if ((spec.min() != null && x < spec.min()) || (spec.max() != null && x > spec.max())) {
                throw new ConfigException(origin, Values.describe(written) + " is out of range (accepted: "
                        + spec.acceptedDescription() + ")");
            }
        }
        return v;
    }

    private static ConfigException wrongType(ParameterSpec spec, Object value, Origin origin) {
        String article = spec.type().display().matches("[aeiou].*") ? "an " : "a ";
        if (spec.type().isList()) {
            article = "a ";
        }
        return new ConfigException(origin, "expected " + article + spec.acceptedDescription() + ", got "
                + Values.describe(value));
    }
}
