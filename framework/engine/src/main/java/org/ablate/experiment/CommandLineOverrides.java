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
 * {@code repeats=} and {@code timeout=} change the run settings. Hydra's basic-sweeper forms also
 * sweep: {@code key=a,b}, {@code choice(a,b)}, {@code range(1,10,2)}, {@code glob(*)} (see
 * {@link HydraSweepSyntax}); a value with a comma is quoted to be one value, {@code key='a,b'}.
 */
public final class CommandLineOverrides {

    private static final Pattern OVERRIDE = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(.*)", Pattern.DOTALL);
    private static final java.util.Set<String> RUN_SETTINGS = java.util.Set.of("seed", "seeds", "repeats", "timeout");

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
            Matcher m = match(argument);
            YamlNode node = yamlValue(m.group(2), Origin.commandLine(argument, m.group(1)));
            out.put(node.origin().key(), node.toSourced());
        }
        return out;
    }

    /** The argument split into key and value text, or the one-line reason it is not an override. */
    private static Matcher match(String argument) {
        refuseHydraEditForms(argument);
        Matcher m = OVERRIDE.matcher(argument);
        int eq = argument.indexOf('=');
        int foreign = eq < 0 ? -1 : argument.substring(0, eq).codePoints().filter(c -> c > 0x7E).findFirst().orElse(-1);
        if (!m.matches() && foreign >= 0) {
            // a look-alike letter (Cyrillic 'е' for 'e') would otherwise read as "not an override"
            throw new ConfigException("command line '" + argument + "'", String.format(java.util.Locale.ROOT,
                    "the key contains the non-ASCII character '%s' (U+%04X) (accepted: keys of ASCII letters, digits, '_' and '.')",
                    new String(Character.toChars(foreign)), foreign));
        }
        if (!m.matches()) {
            throw new ConfigException("command line '" + argument + "'",
                    "not an override (accepted: key=value to fix a parameter, key=[a,b] to sweep it)");
        }
        Origin origin = Origin.commandLine(argument, m.group(1));
        if (m.group(2).isBlank()) {
            throw new ConfigException(origin, "missing value after '='");
        }
        if (m.group(2).contains("\n") || m.group(2).contains("\r")) {
            // read as YAML, a second line would be a new key, silently dropped
            throw new ConfigException(origin, "the value contains a line break"
                    + " (accepted: one key=value per argument, on one line)");
        }
        return m;
    }

    /**
     * Hydra's {@code +key=v}, {@code ++key=v} and {@code ~key} add and delete config keys. A schema
     * declares every parameter with its default, so there is nothing to add or delete.
     */
    private static void refuseHydraEditForms(String argument) {
        String what = argument.startsWith("++") ? "'++key=value' (add or override a key)"
                : argument.startsWith("+") ? "'+key=value' (add a key)"
                : argument.startsWith("~") ? "'~key' (delete a key)" : null;
        if (what != null) {
            throw new ConfigException("command line '" + argument + "'", "Hydra's " + what
                    + " has no use in Ablate: every parameter a schema declares already exists with its default"
                    + " (accepted: key=value to set it, key=a,b or key=[a,b] to sweep it; leave a key out to keep its default)");
        }
    }

    /** One value: a YAML scalar or [list], located at the command line (also each element of a Hydra sweep). */
    static YamlNode yamlValue(String text, Origin origin) {
        YamlNode node;
        try {
            node = YamlReader.read("value: " + text, origin.source()).asMap().get("value");
        } catch (ConfigException e) {
            throw new ConfigException(origin, e.problem());
        }
        if (node == null || node.isMap()) {
            throw new ConfigException(origin, "value must be a scalar or a [list]");
        }
        return new YamlNode(node.value(), origin);
    }

    private static ExperimentSpec applyOne(ExperimentSpec spec, String argument) {
        Matcher m = match(argument);
        String key = m.group(1);
        Origin origin = Origin.commandLine(argument, key);
        // a Hydra sweep (a,b / choice / range / glob) is a list of values; anything else one YAML value
        List<Object> sweep = HydraSweepSyntax.parse(m.group(2), origin);
        YamlNode node = sweep == null ? yamlValue(m.group(2), origin) : null;
        Object value = sweep != null ? sweep : node.toPlain();
        if (sweep != null && !key.equals("seeds") && RUN_SETTINGS.contains(key)) {
            throw new ConfigException(origin, key + " takes one value, not a sweep (accepted: "
                    + (key.equals("timeout") ? "one duration, e.g. timeout=10m" : "seeds=0,1,2 or seeds=[0,1,2] for several seeds") + ")");
        }
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
                return spec.with(spec.params(), spec.grid(), spec.zips(), Seeding.consecutive(base, repeats, origin), spec.trialTimeout());
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
                if (sweep != null) {
                    // a glob stays one pattern value until the expander knows the accepted values
                    grid.add(new SweepAxis(key, sweep.stream().map(v -> new Sourced(v, origin)).toList(), origin));
                } else if (node.isList()) {
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
