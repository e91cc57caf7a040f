package org.ablate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.plugin.PluginRuntime;
import org.ablate.plugin.LoadedPlugin;
import org.ablate.provenance.Nd4jBackend;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.MetricSchema;
import org.ablate.spi.ParameterSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"Lists the plugins on the classpath, the ND4J backend ND4J loads here (device, CUDA versions), "
                + "and every component with its parameters and, for a task, the metrics it declares.",
                "With FILTER, only the components whose kind or name contains it (e.g. 'ablate plugins quantizer')."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:no component matches FILTER", "3:a plugin failed to load"})
final class PluginsCommand implements Callable<Integer> {

    static final int DEFAULT_WIDTH = 80;
    private static final int MIN_WIDTH = 40;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILTER",
            description = "Part of a component kind (task, sketch, quantizer), a component name, or a plugin name.")
    String filter;

    @Option(names = "--width", paramLabel = "COLUMNS", defaultValue = "${env:COLUMNS}",
            description = "Wrap lines to this width (default: $COLUMNS, else " + DEFAULT_WIDTH + ").")
    String width;

    @Override
    public Integer call() {
        PluginRuntime engine = PluginRuntime.start();
        int cols = width(width);
        PrintWriter out = spec.commandLine().getOut();
        ComponentRegistry registry = engine.registry();
        List<ComponentDefinition> shown = matching(engine, filter);
        if (shown.isEmpty()) {
            throw new ConfigException("plugins " + filter, "no component kind, component or plugin matches '" + filter + "'"
                    + Suggestions.didYouMean(filter.toLowerCase(Locale.ROOT), candidates(engine))
                    + " (kinds: " + String.join(", ", registry.kinds().stream().map(PluginsCommand::kindName).toList()) + ")");
        }
        if (filter == null) {
            out.println("Plugins:");
            TextTable plugins = new TextTable("  NAME", "VERSION", "CLASS", "FROM");
            for (LoadedPlugin p : engine.plugins()) {
                plugins.add("  " + p.name(), p.version(), p.className(), p.location());
            }
            out.print(plugins.naturalWidth() <= cols ? plugins.render() : plugins.withoutLastColumnUnder(cols, Set.of(), 6));
            out.println();
            hanging(out, "ND4J backend: ", nd4jBackend(), cols, 2);
        }
        boolean first = filter != null;
        for (Class<?> kind : registry.kinds()) {
            List<ComponentDefinition> ofKind = shown.stream().filter(d -> d.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            out.println(heading(kind) + ":");
            for (ComponentDefinition d : ofKind) {
                print(d, registry, cols, out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(ComponentDefinition d, ComponentRegistry registry, int cols, PrintWriter out) {
        hanging(out, "  " + d.name() + " — ", d.description(), cols, 6);
        if (d.schema().parameters().isEmpty()) {
            out.println("      (no parameters)");
        } else {
            TextTable params = new TextTable("      PARAMETER", "TYPE", "DEFAULT", "ACCEPTED", "DOC");
            for (ParameterSpec p : d.schema().parameters()) {
                String accepted = p.acceptedDescription();
                if (p.componentKind() != null) {
                    accepted = "one of " + String.join(", ", registry.names(p.componentKind()));
                }
                params.add("      " + p.name(), p.type().display(),
                        p.required() ? "(required)" : Values.format(p.defaultValue()),
                        accepted.equals(p.type().display()) ? "any" : accepted.replace(p.type().display() + " ", ""),
                        p.doc());
            }
            // one line a parameter where it fits, else its doc under it
            out.print(params.naturalWidth() <= cols ? params.render() : params.withoutLastColumnUnder(cols, Set.of(2, 3), 10));
        }
        if (d.kind() == org.ablate.spi.Task.class) {
            MetricSchema m = d.metrics();
            if (!m.declared()) {
                hanging(out, "      metrics: ", "not declared (plots and claims are checked against the results after the run)",
                        cols, 15);
            } else {
                hanging(out, "      summary metrics: ", String.join(", ", m.summaryNames()), cols, 8);
                hanging(out, "      step metrics: ", m.stepNames().isEmpty() ? "none" : String.join(", ", m.stepNames()), cols, 8);
                if (!m.rates().isEmpty()) { // what a claim may pool (pool: COUNT)
                    hanging(out, "      rates: ", String.join(", ", m.rates().entrySet().stream()
                            .map(e -> e.getKey() + " (pool: " + e.getValue() + ")").toList()), cols, 8);
                }
            }
        }
    }

    /** The backend ND4J loads here (starting it: what a trial would run on), or why it cannot start. */
    private static String nd4jBackend() {
        try {
            return Nd4jBackend.loaded().describe();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** "prefix text…" word-wrapped to cols, continuation lines indented by indent. */
    private static void hanging(PrintWriter out, String prefix, String text, int cols, int indent) {
        List<String> lines = TextTable.wrap(text, Math.max(MIN_WIDTH / 2, cols - prefix.length()), cols - indent);
        out.println((prefix + lines.get(0)).stripTrailing());
        lines.subList(1, lines.size()).forEach(l -> out.println(" ".repeat(indent) + l));
    }

    /** Components whose kind, name or plugin contains the filter (case-insensitive); all of them without one. */
    static List<ComponentDefinition> matching(PluginRuntime engine, String filter) {
        ComponentRegistry registry = engine.registry();
        List<ComponentDefinition> out = new ArrayList<>();
        String f = filter == null ? null : filter.toLowerCase(Locale.ROOT).strip();
        for (Class<?> kind : registry.kinds()) {
            boolean kindMatches = f == null || kindName(kind).contains(f) || heading(kind).toLowerCase(Locale.ROOT).contains(f);
            for (String name : registry.names(kind)) {
                ComponentDefinition d = registry.definition(kind, name);
                if (kindMatches || name.toLowerCase(Locale.ROOT).contains(f) || pluginName(engine, d).contains(f)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static String pluginName(PluginRuntime engine, ComponentDefinition d) {
        return engine.plugins().stream().filter(p -> p.className().equals(d.origin().getName()))
                .map(p -> p.name().toLowerCase(Locale.ROOT)).findFirst().orElse("");
    }

    private static List<String> candidates(PluginRuntime engine) {
        List<String> out = new ArrayList<>();
        engine.registry().kinds().forEach(k -> {
            out.add(kindName(k));
            out.addAll(engine.registry().names(k));
        });
        engine.plugins().forEach(p -> out.add(p.name()));
        return out;
    }

    /** "RegressionInstance" → "regression instance". */
    static String kindName(Class<?> kind) {
        return kind.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** The width to wrap to: --width / $COLUMNS when it is a number of at least 40, else 80. */
    static int width(String given) {
        try {
            int w = given == null ? DEFAULT_WIDTH : Integer.parseInt(given.strip());
            return w >= MIN_WIDTH ? w : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    /** "RegressionInstance" → "Regression instances", "Sketch" → "Sketches". */
    static String heading(Class<?> kind) {
        String words = kindName(kind);
        String plural = words.matches(".*(s|sh|ch|x|z)$") ? words + "es" : words + "s";
        return Character.toUpperCase(plural.charAt(0)) + plural.substring(1);
    }
}
