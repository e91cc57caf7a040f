package org.ablate.spi;

import java.util.Arrays;
import java.util.List;

/**
 * Fluent builder of a {@link ParameterSpec}:
 * {@code Param.integer("samples").defaultValue(1000).min(1).doc("Monte-Carlo samples")}.
 */
public final class Param {

    private final String name;
    private final ParamType type;
    private Object defaultValue;
    private List<String> allowed = List.of();
    private Double min;
    private Double max;
    private Class<?> componentKind;
    private List<String> variables = List.of();
    private String doc = "";
    private boolean omittedAtDefault;

    private Param(String name, ParamType type) {
        this.name = name;
        this.type = type;
    }

    public static Param integer(String name) {
        return new Param(name, ParamType.INTEGER);
    }

    public static Param real(String name) {
        return new Param(name, ParamType.REAL);
    }

    public static Param bool(String name) {
        return new Param(name, ParamType.BOOLEAN);
    }

    public static Param string(String name) {
        return new Param(name, ParamType.STRING);
    }

    /** A string restricted to the given values. */
    public static Param choice(String name, String... values) {
        return new Param(name, ParamType.STRING).oneOf(values);
    }

    /** The name of a registered component of {@code kind}; its parameters live under "name.". */
    public static Param component(String name, Class<?> kind) {
        Param p = new Param(name, ParamType.COMPONENT);
        p.componentKind = kind;
        return p;
    }

    /** A number or a formula in {@code variables}, e.g. {@code m: "4 * d * log(n)^3"}; see {@link Expressions}. */
    public static Param expression(String name, String... variables) {
        Param p = new Param(name, ParamType.EXPRESSION);
        p.variables = Arrays.asList(variables);
        return p;
    }

    public static Param integerList(String name) {
        return new Param(name, ParamType.INTEGER_LIST);
    }

    public static Param realList(String name) {
        return new Param(name, ParamType.REAL_LIST);
    }

    public static Param stringList(String name) {
        return new Param(name, ParamType.STRING_LIST);
    }

    public Param defaultValue(Object value) {
        this.defaultValue = value instanceof Integer i ? Long.valueOf(i)
                : value instanceof Float f ? Double.valueOf(f)
                : value;
        return this;
    }

    public Param oneOf(String... values) {
        this.allowed = Arrays.asList(values);
        return this;
    }

    public Param min(double min) {
        this.min = min;
        return this;
    }

    public Param max(double max) {
        this.max = max;
        return this;
    }

    public Param range(double min, double max) {
        return min(min).max(max);
    }

    public Param doc(String doc) {
        this.doc = doc;
        return this;
    }

    /**
     * For a parameter added after trials were recorded: while it has its default, the trial's id
     * leaves it out, so experiments that never set it keep their ids (and their stored trials).
     */
    public Param identityOmitsDefault() {
        this.omittedAtDefault = true;
        return this;
    }

    ParameterSpec build() {
        return new ParameterSpec(name, type, defaultValue, allowed, min, max, componentKind, variables, doc, omittedAtDefault);
    }

    /** 100 rather than 100.0, 0.5 as 0.5: bounds as a person writes them. */
    static String formatBound(double bound, ParamType type) {
        if (bound == Math.rint(bound) && Math.abs(bound) < 1e15) {
            return Long.toString((long) bound);
        }
        return Double.toString(bound);
    }
}
