package org.ablate.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.experiment.LaunchSettings;
import org.ablate.experiment.ParameterResolver;
import org.ablate.launch.InProcessLauncher;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.ParamType;
import org.ablate.spi.Parameters;
import org.ablate.spi.launch.Launcher;

/**
 * The launcher a sweep runs with and its options, validated against the launcher's schema like any
 * component's parameters. {@code --launcher NAME} wins over the file's {@code launcher:}; the file's
 * options apply only to the launcher the file names, {@code launcher.KEY=VALUE} to the chosen one.
 */
public record LaunchChoice(String name, Launcher launcher, Parameters options) {

    /** Today's behaviour: threads of this JVM. */
    public static final LaunchChoice IN_PROCESS =
            new LaunchChoice(InProcessLauncher.NAME, new InProcessLauncher(), new Parameters(Map.of()));

    /**
     * @param commandLineName {@code --launcher}, or null
     * @param commandLineOptions the {@code launcher.KEY=VALUE} arguments, keys without the prefix
     */
    public static LaunchChoice resolve(ComponentRegistry registry, LaunchSettings file, String commandLineName,
                                       Map<String, Sourced> commandLineOptions) {
        Sourced named = commandLineName != null
                ? new Sourced(commandLineName, Origin.commandLine("--launcher=" + commandLineName, "--launcher"))
                : file.launcher();
        String name = named == null ? InProcessLauncher.NAME : String.valueOf(named.value());
        Map<String, Sourced> options = new LinkedHashMap<>();
        if (named == null || file.launcher() == null || name.equals(file.launcher().value())) {
            options.putAll(file.options());
        }
        options.putAll(commandLineOptions);
        if (named == null && options.isEmpty() && registry.find(Launcher.class, name).isEmpty()) {
            return IN_PROCESS; // an engine wired without the built-in plugin (a test's own plugin list)
        }
        ComponentDefinition definition = registry.find(Launcher.class, name).orElseThrow(() -> new ConfigException(
                named == null ? Origin.commandLine("launcher." + options.keySet().iterator().next(), "launcher") : named.origin(),
                "unknown launcher '" + name + "'" + org.ablate.config.Suggestions.didYouMean(name, registry.names(Launcher.class))
                        + " (accepted: " + String.join(", ", registry.names(Launcher.class)) + ")"));
        Sourced detach = options.get(DETACH);
        if (detach != null && detach.origin().equals(DETACH_ORIGIN) && definition.schema().find(DETACH).isEmpty()) {
            List<String> can = registry.names(Launcher.class).stream()
                    .filter(n -> registry.find(Launcher.class, n).map(d -> d.schema().find(DETACH).isPresent()).orElse(false))
                    .toList();
            throw new ConfigException("--detach (" + DETACH_OVERRIDE + ")", "launcher '" + name + "' cannot detach: its trials end with this process"
                    + " (launchers that can: " + (can.isEmpty() ? "none installed" : String.join(", ", can)) + ")");
        }
        integersAsText(definition, options);
        Origin at = named != null ? named.origin() : Origin.commandLine("launcher", "launcher");
        Parameters resolved = new ParameterResolver(registry).resolve(definition, options, at);
        return new LaunchChoice(name, registry.create(Launcher.class, name), resolved);
    }

    /** The launcher's own refusal of what the trials ask for, as a configuration error (exit 2, nothing written). */
    public void check(org.ablate.spi.launch.Resources resources) {
        try {
            launcher.check(resources, options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("launcher '" + name + "'", e.getMessage());
        }
    }

    /** The prefix of a launcher option on the command line ({@code launcher.KEY=VALUE}). */
    public static final String OPTION_PREFIX = "launcher.";
    /** The option that {@code ablate run --detach} sets, for launchers that submit to a scheduler and may exit. */
    public static final String DETACH = "detach";
    /** What {@code --detach} adds to the command-line overrides. */
    public static final String DETACH_OVERRIDE = OPTION_PREFIX + DETACH + "=true";
    private static final Origin DETACH_ORIGIN = Origin.commandLine("--detach", DETACH);

    /**
     * A string option written as a whole number ({@code time_limit: 90}, {@code account: 4711}) takes its
     * digits: schedulers' names and times are often numbers, and a launcher option is no trial parameter
     * (nothing's identity depends on its type). Other types are left to the schema's check.
     */
    private static void integersAsText(ComponentDefinition definition, Map<String, Sourced> options) {
        options.replaceAll((key, v) -> v.value() instanceof Long n && definition.schema().find(key)
                .map(p -> p.type() == ParamType.STRING).orElse(false) ? new Sourced(String.valueOf(n), v.origin()) : v);
    }

    /** Command-line overrides that are not launcher options: what shapes the plan. */
    public static java.util.List<String> planOverrides(java.util.List<String> overrides) {
        return overrides.stream().filter(o -> !o.startsWith(OPTION_PREFIX)).toList();
    }

    /** The {@code launcher.KEY=VALUE} overrides as options (keys without the prefix), located at the command line. */
    public static Map<String, Sourced> commandLineOptions(java.util.List<String> overrides) {
        Map<String, Sourced> out = new LinkedHashMap<>();
        for (String o : overrides) {
            if (o.startsWith(OPTION_PREFIX)) {
                Sourced v = org.ablate.experiment.CommandLineOverrides.parameters(java.util.List.of(o)).values().iterator().next();
                String key = o.substring(OPTION_PREFIX.length(), o.indexOf('=') < 0 ? o.length() : o.indexOf('='));
                out.put(key, new Sourced(v.value(), o.equals(DETACH_OVERRIDE) ? DETACH_ORIGIN : Origin.commandLine(o, key)));
            }
        }
        return out;
    }
}
