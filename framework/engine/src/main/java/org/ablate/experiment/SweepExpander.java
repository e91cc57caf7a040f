package org.ablate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.ConfigErrors;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.Parameters;
import org.ablate.spi.Task;

/**
 * Expands an experiment into its trials: the grid's cartesian product (first axis outermost) times
 * each zipped group, then overrides and exclusions per configuration, then every seed. Every
 * configuration is validated before anything runs; configurations that resolve to the same
 * parameters are run once.
 */
public final class SweepExpander {

    private final ComponentRegistry registry;
    private final ParameterResolver resolver;

    public SweepExpander(ComponentRegistry registry) {
        this.registry = registry;
        this.resolver = new ParameterResolver(registry);
    }

    /** Trials a sweep may have unless the user raises the limit ({@code run --max-trials}). */
    public static final long DEFAULT_MAX_TRIALS = 100_000;

    public SweepPlan expand(ExperimentSpec spec) {
        return expand(spec, DEFAULT_MAX_TRIALS);
    }

    /**
     * @param maxTrials refuse a sweep with more trials than this, counted before any
     *                  configuration is built (a 10^7 grid would exhaust the heap)
     */
    public SweepPlan expand(ExperimentSpec given, long maxTrials) {
        ComponentDefinition task = task(given);
        ExperimentSpec spec = given.with(given.params(), GlobSweeps.resolve(given, task, registry), given.zips(),
                given.seeding(), given.trialTimeout());
        checkTrialCount(spec, maxTrials);
        Origin missing = spec.task().origin();

        List<Map<String, Sourced>> configs = new ArrayList<>();
        configs.add(new LinkedHashMap<>(spec.params()));
        for (SweepAxis axis : spec.grid()) {
            List<Map<String, Sourced>> next = new ArrayList<>();
            for (Map<String, Sourced> c : configs) {
                for (Sourced v : axis.values()) {
                    Map<String, Sourced> m = new LinkedHashMap<>(c);
                    m.put(axis.key(), v);
                    next.add(m);
                }
            }
            configs = next;
        }
        for (List<SweepAxis> group : spec.zips()) {
            List<Map<String, Sourced>> next = new ArrayList<>();
            int n = group.get(0).values().size();
            for (Map<String, Sourced> c : configs) {
                for (int i = 0; i < n; i++) {
                    Map<String, Sourced> m = new LinkedHashMap<>(c);
                    for (SweepAxis axis : group) {
                        m.put(axis.key(), axis.values().get(i));
                    }
                    next.add(m);
                }
            }
            configs = next;
        }

        List<Parameters> resolved = new ArrayList<>();
        Set<Parameters> seen = new LinkedHashSet<>();
        int duplicates = 0;
        ConfigErrors errors = new ConfigErrors(); // every bad configuration, not only the first
        for (Map<String, Sourced> config : configs) {
            if (errors.isFull()) {
                break;
            }
            Map<String, Sourced> c = new LinkedHashMap<>(config);
            for (ConditionalOverride o : spec.overrides()) {
                if (o.matches(c)) { // in order: an override sees what earlier ones set
                    c.putAll(o.set());
                }
            }
            if (spec.excludes().stream().anyMatch(ex -> matches(ex, c))) {
                continue;
            }
            Parameters params;
            try {
                params = resolver.resolve(task, c, missing);
            } catch (ConfigException e) {
                errors.add(e);
                continue;
            }
            if (seen.add(params)) {
                resolved.add(params);
            } else {
                duplicates++;
            }
        }
        errors.collect(() -> checkOverrideKeys(spec, task));
        errors.throwIfAny();
        if (resolved.isEmpty()) {
            throw new ConfigException(new Origin(spec.sourceFile(), 0, "exclude"),
                    "every configuration is excluded: nothing to run");
        }

        List<String> varying = varyingKeys(resolved);
        List<TrialSpec> trials = new ArrayList<>();
        for (Parameters params : resolved) {
            Map<String, Object> vary = new LinkedHashMap<>();
            varying.stream().filter(params::has).forEach(k -> vary.put(k, params.get(k)));
            for (long seed : spec.seeding().seeds()) {
                trials.add(new TrialSpec(TrialIdentity.id(task.name(), params, seed), trials.size(),
                        task.name(), params, seed, vary));
            }
        }
        return new SweepPlan(spec, task, trials, varying, resolved.size(), duplicates);
    }

    private ComponentDefinition task(ExperimentSpec spec) {
        ComponentDefinition registered = registered(spec);
        if (spec.command() == null) {
            return registered;
        }
        // the file declares the program's parameters: they are validated, defaulted and hashed as a plugin's are
        return new ComponentDefinition(registered.key(), registered.description(), spec.command().schema(),
                registered.implementation(), registered.origin(), registered.metrics());
    }

    private ComponentDefinition registered(ExperimentSpec spec) {
        return registry.find(Task.class, spec.taskName()).orElseThrow(() -> {
            List<String> names = registry.names(Task.class);
            return new ConfigException(spec.task().origin(), "unknown task '" + spec.taskName() + "'"
                    + Suggestions.didYouMean(spec.taskName(), names)
                    + " (accepted: " + (names.isEmpty() ? "none: no plugin registers a task" : String.join(", ", names)) + ")");
        });
    }

    /** The number of trials before exclusions and duplicates, refused above {@code maxTrials}. */
    private static void checkTrialCount(ExperimentSpec spec, long maxTrials) {
        List<String> factors = new ArrayList<>();
        long configurations = 1;
        for (SweepAxis axis : spec.grid()) {
            configurations = saturatedProduct(configurations, axis.values().size());
            factors.add(Integer.toString(axis.values().size()));
        }
        for (List<SweepAxis> group : spec.zips()) {
            configurations = saturatedProduct(configurations, group.get(0).values().size());
            factors.add(Integer.toString(group.get(0).values().size()));
        }
        int seeds = spec.seeding().explicit() != null ? spec.seeding().explicit().size() : spec.seeding().repeats();
        long trials = saturatedProduct(configurations, seeds);
        if (trials > maxTrials) {
            factors.add(seeds + " seed(s)");
            throw new ConfigException(new Origin(spec.sourceFile(), 0, "sweep"), (trials == Long.MAX_VALUE ? "more than 2^63"
                    : Long.toString(trials)) + " trials (" + String.join(" x ", factors) + ", before exclusions)"
                    + " exceed the limit of " + maxTrials + " (accepted: at most " + maxTrials
                    + " trials; raise it with --max-trials N)");
        }
    }

    private static long saturatedProduct(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // sizes are positive: an overflow only means "far too many"
        }
    }

    private static boolean matches(Map<String, Sourced> pattern, Map<String, Sourced> config) {
        return pattern.entrySet().stream().allMatch(e -> config.containsKey(e.getKey())
                && Values.sameValue(config.get(e.getKey()).value(), e.getValue().value()));
    }

    /**
     * A 'when' or 'exclude' naming no parameter at all is a typo that would silently match
     * nothing. A 'when' may name keys set by earlier overrides; an 'exclude', keys set by any.
     */
    private void checkOverrideKeys(ExperimentSpec spec, ComponentDefinition task) {
        Set<String> known = new LinkedHashSet<>(spec.params().keySet());
        spec.grid().forEach(a -> known.add(a.key()));
        spec.zips().forEach(z -> z.forEach(a -> known.add(a.key())));
        for (ConditionalOverride o : spec.overrides()) {
            checkKnown(o.when(), known);
            known.addAll(o.set().keySet());
        }
        for (Map<String, Sourced> pattern : spec.excludes()) {
            checkKnown(pattern, known);
        }
    }

    private static void checkKnown(Map<String, Sourced> pattern, Set<String> known) {
        for (Map.Entry<String, Sourced> e : pattern.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new ConfigException(e.getValue().origin(), "matches on a parameter the experiment never sets"
                        + Suggestions.didYouMean(e.getKey(), known)
                        + " (accepted: " + (known.isEmpty() ? "none: the experiment sets no parameter" : String.join(", ", known)) + ")");
            }
        }
    }

    /** Keys taking more than one value among the configurations that have them. */
    private static List<String> varyingKeys(List<Parameters> configs) {
        Map<String, Set<Object>> values = new LinkedHashMap<>();
        for (Parameters p : configs) {
            p.asMap().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
        }
        return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }
}
