package org.ablate.experiment;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.ParamType;
import org.ablate.spi.ParameterSpec;

/**
 * Turns a {@code key=glob(...)} sweep into the accepted values of the key that its patterns
 * select, in the schema's order: a choice parameter's values, or the registered names of a
 * component parameter's kind. For a component's own parameter ({@code sketch.kind}) the
 * component must be fixed, so that there is one schema to read.
 */
final class GlobSweeps {

    private GlobSweeps() {
    }

    static List<SweepAxis> resolve(ExperimentSpec spec, ComponentDefinition task, ComponentRegistry registry) {
        List<SweepAxis> out = new ArrayList<>();
        for (SweepAxis axis : spec.grid()) {
            if (axis.values().size() == 1 && axis.values().get(0).value() instanceof HydraSweepSyntax.Glob glob) {
                out.add(new SweepAxis(axis.key(), select(glob, accepted(spec, task, registry, axis), axis.origin()), axis.origin()));
            } else {
                out.add(axis);
            }
        }
        return out;
    }

    private static List<String> accepted(ExperimentSpec spec, ComponentDefinition task, ComponentRegistry registry, SweepAxis axis) {
        String[] parts = axis.key().split("\\.");
        ComponentDefinition owner = task;
        String prefix = "";
        for (int i = 0; ; i++) {
            ParameterSpec p = find(owner, parts[i], axis.origin());
            if (i == parts.length - 1) {
                if (p.type() == ParamType.COMPONENT) {
                    return registry.names(p.componentKind());
                }
                if (!p.allowed().isEmpty()) {
                    return p.allowed();
                }
                throw new ConfigException(axis.origin(), "glob selects among a parameter's accepted values, and "
                        + owner.key() + " accepts any " + p.acceptedDescription() + " for '" + axis.key()
                        + "' (accepted: glob over a choice or component parameter; a,b or range(...) for others)");
            }
            if (p.type() != ParamType.COMPONENT) {
                throw new ConfigException(axis.origin(), "unknown parameter: '" + prefix + parts[i]
                        + "' selects no component (accepted: a parameter of " + owner.key() + ")");
            }
            String name = prefix + parts[i];
            Sourced fixed = spec.params().get(name);
            boolean swept = spec.grid().stream().anyMatch(a -> a.key().equals(name))
                    || spec.zips().stream().flatMap(List::stream).anyMatch(a -> a.key().equals(name));
            if (swept) {
                throw new ConfigException(axis.origin(), "glob over a parameter of '" + name
                        + "', which is swept: its accepted values differ by component (accepted: fix '" + name + "', or list the values)");
            }
            Object chosen = fixed != null ? fixed.value() : p.defaultValue();
            if (!(chosen instanceof String c) || registry.find(p.componentKind(), c).isEmpty()) {
                throw new ConfigException(axis.origin(), "'" + name + "' = " + chosen + " is not a registered component"
                        + " (accepted: " + String.join(", ", registry.names(p.componentKind())) + ")");
            }
            owner = registry.definition(p.componentKind(), c);
            prefix = name + ".";
        }
    }

    private static ParameterSpec find(ComponentDefinition owner, String name, Origin origin) {
        return owner.schema().parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> {
                    List<String> names = owner.schema().parameters().stream().map(ParameterSpec::name).toList();
                    return new ConfigException(origin, "unknown parameter of " + owner.key()
                            + org.ablate.config.Suggestions.didYouMean(name, names) + " (accepted: " + String.join(", ", names) + ")");
                });
    }

    private static List<Sourced> select(HydraSweepSyntax.Glob glob, List<String> accepted, Origin origin) {
        List<PathMatcher> include = glob.include().stream().map(p -> matcher(p, origin)).toList();
        List<PathMatcher> exclude = glob.exclude().stream().map(p -> matcher(p, origin)).toList();
        List<Sourced> out = new ArrayList<>();
        for (String value : accepted) {
            Path p = Path.of(value);
            if (include.stream().anyMatch(m -> m.matches(p)) && exclude.stream().noneMatch(m -> m.matches(p))) {
                out.add(new Sourced(value, origin));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(origin, glob.written() + " matches none of the accepted values (accepted: "
                    + String.join(", ", accepted) + ")");
        }
        return out;
    }

    private static PathMatcher matcher(String pattern, Origin origin) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigException(origin, "glob pattern '" + pattern + "' is malformed: "
                    + e.getDescription().toLowerCase(java.util.Locale.ROOT) + " (accepted: *, foo*, *bar, ?x, [abc]x, {a,b}*)");
        }
    }
}
