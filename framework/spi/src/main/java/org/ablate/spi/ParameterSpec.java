package org.ablate.spi;

import java.util.List;
import java.util.Objects;

/**
 * One declared parameter: name, type, default (null when required), accepted values or numeric
 * range, the component kind for {@link ParamType#COMPONENT}, a one-line doc, and whether the
 * trial's identity leaves the parameter out while it has its default ({@link Param#identityOmitsDefault()}).
 * Build with {@link Param}.
 */
public record ParameterSpec(
        String name,
        ParamType type,
        Object defaultValue,
        List<String> allowed,
        Double min,
        Double max,
        Class<?> componentKind,
        List<String> variables,
        String doc,
        boolean omittedAtDefault) {

    /** A parameter that is always part of the trial's identity. */
    public ParameterSpec(String name, ParamType type, Object defaultValue, List<String> allowed, Double min, Double max,
                         Class<?> componentKind, List<String> variables, String doc) {
        this(name, type, defaultValue, allowed, min, max, componentKind, variables, doc, false);
    }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        variables = variables == null ? List.of() : List.copyOf(variables);
        doc = doc == null ? "" : doc;
        if (type == ParamType.COMPONENT && componentKind == null) {
            throw new IllegalArgumentException("component parameter '" + name + "' needs a kind");
        }
        if (omittedAtDefault && defaultValue == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is left out of trial ids at its default, so it needs one");
        }
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** The accepted values in words, for error messages and help: "one of a, b", "in [1, 10]". */
    public String acceptedDescription() {
        if (type == ParamType.EXPRESSION) {
            return "a number or an expression in " + String.join(", ", variables)
                    + " (+ - * / ^, log, log2, sqrt, ceil, floor, ...)"
                    + (min == null && max == null ? "" : " with a value in "
                    + (min == null ? "(-inf" : "[" + Param.formatBound(min, type)) + ", "
                    + (max == null ? "+inf)" : Param.formatBound(max, type) + "]"));
        }
        if (!allowed.isEmpty() && type == ParamType.STRING) {
            return "one of " + String.join(", ", allowed);
        }
        StringBuilder s = new StringBuilder(type.display());
        if (!allowed.isEmpty()) {
            s.append(type.isList() ? " with elements" : "").append(" one of ").append(String.join(", ", allowed));
        }
        if (min != null || max != null) {
            s.append(type.isList() ? " with elements" : "").append(" in ")
                    .append(min == null ? "(-inf" : "[" + Param.formatBound(min, type))
                    .append(", ")
                    .append(max == null ? "+inf)" : Param.formatBound(max, type) + "]");
        }
        return s.toString();
    }
}
