package org.ablate.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the problems of one validation pass, so that a user sees every bad value at once
 * instead of fixing them one run at a time. {@link #throwIfAny()} throws the single problem as
 * it is, or several as one {@link ConfigException} whose {@link ConfigException#all()} lists each
 * (ordered by file and line; the same message twice is kept once).
 */
public final class ConfigErrors {

    /** Enough to show what is wrong; a sweep of 10^5 bad configurations need not print 10^5 lines. */
    public static final int MAX_REPORTED = 20;

    private final Map<String, ConfigException> problems = new LinkedHashMap<>();

    /** Records {@code e} (and each problem it already carries). */
    public void add(ConfigException e) {
        for (ConfigException one : e.all()) {
            if (problems.size() < MAX_REPORTED) {
                problems.putIfAbsent(one.getMessage(), one);
            }
        }
    }

    /** Runs {@code step}, recording a ConfigException instead of stopping; false when it failed. */
    public boolean collect(Runnable step) {
        try {
            step.run();
            return true;
        } catch (ConfigException e) {
            add(e);
            return false;
        }
    }

    /** The value {@code step} computes, or {@code fallback} (the problem recorded) when it fails. */
    public <T> T get(java.util.function.Supplier<T> step, T fallback) {
        try {
            return step.get();
        } catch (ConfigException e) {
            add(e);
            return fallback;
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public boolean isFull() {
        return problems.size() >= MAX_REPORTED;
    }

    public void throwIfAny() {
        if (problems.isEmpty()) {
            return;
        }
        List<ConfigException> all = new ArrayList<>(problems.values());
        if (all.size() == 1) {
            throw all.get(0);
        }
        // file-level problems (no key) first, then by source and line, as the user reads the file
        all.sort(Comparator.comparing((ConfigException e) -> e.origin() == null ? "" : e.origin().source())
                .thenComparingInt(e -> e.origin() == null ? -1 : e.origin().line()));
        throw new Several(all);
    }

    /** Several problems; its own message is the first one's, so it stays one line. */
    private static final class Several extends ConfigException {

        private static final long serialVersionUID = 1L;

        private final transient List<ConfigException> all;

        Several(List<ConfigException> all) {
            super(all.get(0).origin(), all.get(0).problem(), all.get(0).getMessage());
            this.all = List.copyOf(all);
        }

        @Override
        public List<ConfigException> all() {
            return all;
        }
    }
}
