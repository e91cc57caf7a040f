package org.ablate.spi;

/** The value types a component parameter may declare. */
public enum ParamType {
    INTEGER("integer"),
    REAL("real"),
    BOOLEAN("boolean"),
    STRING("string"),
    /** The name of a registered component of a declared kind; its own parameters nest under the key. */
    COMPONENT("component"),
    /** A number, or a formula in declared variables evaluated per trial, e.g. "4 * d * log(n)^3". */
    EXPRESSION("number or expression"),
    INTEGER_LIST("list of integers"),
    REAL_LIST("list of reals"),
    STRING_LIST("list of strings");

    private final String display;

    ParamType(String display) {
        this.display = display;
    }

    /** How error messages and {@code ablate plugins} name the type. */
    public String display() {
        return display;
    }

    public boolean isList() {
        return this == INTEGER_LIST || this == REAL_LIST || this == STRING_LIST;
    }

    public boolean isNumeric() {
        return this == INTEGER || this == REAL || this == INTEGER_LIST || this == REAL_LIST;
    }
}
