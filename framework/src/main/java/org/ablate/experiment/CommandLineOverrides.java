package org.ablate.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ablate.config.ConfigException;
import org.ablate.config.Durations;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.YamlNode;
import org.ablate.config.YamlReader;

/**
 * Hydra-style overrides from the command line: {@code key=value} fixes a parameter,
 * {@code key=[a,b]} sweeps it (a list-valued parameter is fixed with {@code key=[[8,8,5]]}).
 * Either replaces whatever the file said about the key, fixed or swept. Values are YAML scalars,
 * so {@code lr=1e-3} is a number and {@code name="1e-3"} a string. {@code seed=}, {@code seeds=},
 * {@code repeats=} and {@code timeout=} change the run settings.
 */
public final class CommandLineOverrides {

    private static final Pattern OVERRIDE = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(.*)", Pattern.DOTALL);

    private CommandLineOverrides() {
    }

    public static boolean looksLikeOverride(String argument) {
        return OVERRIDE.matcher(argument).matches();
    }

    public static ExperimentSpec apply(ExperimentSpec spec, List<String> arguments) {
        ExperimentSpec out = spec;
        for (String argument : arguments) {
            out = applyOne(out, argument);
        }
        return out;
    }

    /** Plain {@code key=value} parameters (no sweeps, no run settings), e.g. a benchmark's. */
    public static Map<String, Sourced> parameters(List<String> arguments) {
        Map<String, Sourced> out = new LinkedHashMap<>();
        for (String argument : arguments) {
            YamlNode node = parse(argument);
            out.put(node.origin().key(), node.toSourced());
        }
        return out;
    }

    /** The value of one {@code key=value} argument, located at the command line. */
    private static YamlNode parse(String argument) {
        Matcher m = OVERRIDE.matcher(argument);
        if (!m.matches()) {
            throw new ConfigException("command line '" + argument + "'",
                    "not an override (accepted: key=value to fix a parameter, key=[a,b] to sweep it)");
        }
        Origin origin = Origin.commandLine(argument, m.group(1));
        if (m.group(2).isBlank()) {
            throw new ConfigException(origin, "missing value after '='");
        }
        YamlNode node;
        try {
            node = YamlReader.read("value: " + m.group(2), "command line '" + argument + "'").asMap().get("value");
        } catch (ConfigException e) {
            throw new ConfigException(origin, e.problem());
        }
        if (node == null || node.isMap()) {
            throw new ConfigException(origin, "value must be a scalar or a [list]");
        }
        return new YamlNode(node.value(), origin);
    }

    private static ExperimentSpec applyOne(ExperimentSpec spec, String argument) {
        YamlNode node = parse(argument);
        Origin origin = node.origin();
        String key = origin.key();
        Object value = node.toPlain();
        Seeding seeding = spec.seeding();
        switch (key) {
            case "seeds" -> {
                List<Long> seeds = new ArrayList<>();
                for (Object s : value instanceof List<?> l ? l : List.of(value)) {
                    if (!(s instanceof Long seed)) {
                        throw new ConfigException(origin, "seeds must be integers, got " + org.ablate.config.Values.describe(s));
                    }
                    seeds.add(seed);
                }
                return spec.with(spec.params(), spec.grid(), spec.zips(), Seeding.explicit(seeds, origin), spec.trialTimeout());
            }
            case "seed", "repeats" -> {
                if (!(value instanceof Long n)) {
                    throw new ConfigException(origin, key + " must be an integer, got " + node.describe());
                }
                if (key.equals("repeats") && (n < 1 || n > 100_000)) {
                    throw new ConfigException(origin, "repeats must be in [1, 100000], got " + n);
                }
                long base = key.equals("seed") ? n : seeding.explicit() == null ? seeding.base() : 0;
                int repeats = key.equals("repeats") ? n.intValue() : seeding.explicit() == null ? seeding.repeats() : 1;
                return spec.with(spec.params(), spec.grid(), spec.zips(), new Seeding(null, base, repeats), spec.trialTimeout());
            }
            case "timeout" -> {
                return spec.with(spec.params(), spec.grid(), spec.zips(), seeding, Durations.parse(value, origin));
            }
            default -> {
                // drop every earlier mention of the key, fixed or swept
                Map<String, Sourced> params = new LinkedHashMap<>(spec.params());
                params.remove(key);
                List<SweepAxis> grid = new ArrayList<>(spec.grid().stream().filter(a -> !a.key().equals(key)).toList());
                List<List<SweepAxis>> zips = spec.zips().stream()
                        .map(z -> z.stream().filter(a -> !a.key().equals(key)).toList())
                        .filter(z -> !z.isEmpty()).toList();
                if (node.isList()) {
                    if (node.asList().isEmpty()) {
                        throw new ConfigException(origin, "empty list: a swept parameter needs at least one value");
                    }
                    grid.add(new SweepAxis(key, node.asList().stream()
                            .map(n -> new Sourced(n.toPlain(), origin)).toList(), origin));
                } else {
                    params.put(key, new Sourced(value, origin));
                }
                return spec.with(params, grid, zips, seeding, spec.trialTimeout());
            }
        }
    }
}
