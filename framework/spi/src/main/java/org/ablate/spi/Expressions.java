package org.ablate.spi;

import java.util.List;
import java.util.Map;
import net.objecthunter.exp4j.Expression;
import net.objecthunter.exp4j.ExpressionBuilder;
import net.objecthunter.exp4j.ValidationResult;

/**
 * Formulas in EXPRESSION parameters, parsed with exp4j: {@code "4 * d"}, {@code "0.5 * d * log(n)^3"}
 * (log is natural; log2, log10, sqrt, ceil, floor, abs, exp also exist). A plain number is its own value.
 */
public final class Expressions {

    private Expressions() {
    }

    /** Null when {@code text} is a well-formed expression in {@code variables}, else what is wrong. */
    public static String problem(String text, List<String> variables) {
        try {
            ValidationResult result = build(text, variables).validate(false);
            return result.isValid() ? null : String.join("; ", result.getErrors());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** The value of a number or an expression with the given variable values. */
    public static double evaluate(Object value, Map<String, Double> variables) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        Expression e = build((String) value, List.copyOf(variables.keySet()));
        variables.forEach(e::setVariable);
        return e.evaluate();
    }

    private static Expression build(String text, List<String> variables) {
        return new ExpressionBuilder(text).variables(variables.toArray(String[]::new)).build();
    }
}
