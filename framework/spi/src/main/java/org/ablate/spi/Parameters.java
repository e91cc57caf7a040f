package org.ablate.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trial's resolved parameters, keyed by dotted names ({@code sketch}, {@code sketch.s}). Values
 * are Long, Double, Boolean, String, or unmodifiable lists of those, as the schema declared.
 */
public final class Parameters {

    private final Map<String, Object> values;
    private final Map<String, Double> expressionValues;
    private final java.util.Set<String> omittedFromIdentity;

    public Parameters(Map<String, Object> values) {
        this(values, Map.of());
    }

    /** @param expressionValues what each EXPRESSION parameter written as a formula evaluates to */
    public Parameters(Map<String, Object> values, Map<String, Double> expressionValues) {
        this(values, expressionValues, java.util.Set.of());
    }

    /** @param omittedFromIdentity keys the trial's identity leaves out (parameters at a default declared so) */
    public Parameters(Map<String, Object> values, Map<String, Double> expressionValues, java.util.Set<String> omittedFromIdentity) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.expressionValues = Collections.unmodifiableMap(new LinkedHashMap<>(expressionValues));
        this.omittedFromIdentity = java.util.Set.copyOf(omittedFromIdentity);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    /** The values a trial's id is computed from: all but parameters at a default their schema leaves out of ids. */
    public Map<String, Object> identityMap() {
        if (omittedFromIdentity.isEmpty()) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>(values);
        out.keySet().removeAll(omittedFromIdentity);
        return Collections.unmodifiableMap(out);
    }

    /**
     * The value of each formula parameter ({@code m = "4 * d"} → 64.0) evaluated with the trial's
     * own variables, for trackers whose readers cannot evaluate it; not part of the trial's identity.
     */
    public Map<String, Double> expressionValues() {
        return expressionValues;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + key + "' (have: " + String.join(", ", values.keySet()) + ")");
        }
        return v;
    }

    public long getLong(String key) {
        return as(key, Long.class);
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }

    public double getDouble(String key) {
        Object v = get(key);
        return v instanceof Long l ? l.doubleValue() : as(key, Double.class);
    }

    public boolean getBoolean(String key) {
        return as(key, Boolean.class);
    }

    public String getString(String key) {
        return as(key, String.class);
    }

    /** A choice parameter as an enum constant; "full-rank" maps to FULL_RANK. */
    public <E extends Enum<E>> E getEnum(String key, Class<E> type) {
        return Enum.valueOf(type, getString(key).toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public List<Long> getLongList(String key) {
        return listOf(key, Long.class);
    }

    public List<Double> getDoubleList(String key) {
        return listOf(key, Double.class);
    }

    public List<String> getStringList(String key) {
        return listOf(key, String.class);
    }

    /** The parameters under {@code prefix.}, with the prefix removed: a nested component's own. */
    public Parameters scope(String prefix) {
        String p = prefix + ".";
        Map<String, Object> sub = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(p)) {
                sub.put(k.substring(p.length()), v);
            }
        });
        return new Parameters(sub);
    }

    private <T> T as(String key, Class<T> type) {
        Object v = get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("parameter '" + key + "' is " + v.getClass().getSimpleName()
                    + " " + v + ", not " + type.getSimpleName());
        }
        return type.cast(v);
    }

    private <T> List<T> listOf(String key, Class<T> type) {
        Object v = get(key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("parameter '" + key + "' is not a list: " + v);
        }
        List<T> out = new ArrayList<>(list.size());
        for (Object e : list) {
            out.add(type.cast(e));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
