package org.ablate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ablate.config.Values;
import org.ablate.plugin.Engine;
import org.ablate.plugin.LoadedPlugin;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import org.ablate.spi.ParameterSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "Lists the plugins on the classpath and every component with its parameters.")
final class PluginsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Engine engine = Engine.start();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Plugins:");
        TextTable plugins = new TextTable("  NAME", "VERSION", "CLASS", "FROM");
        for (LoadedPlugin p : engine.plugins()) {
            plugins.add("  " + p.name(), p.version(), p.className(), p.location());
        }
        out.print(plugins.render());
        ComponentRegistry registry = engine.registry();
        for (Class<?> kind : registry.kinds()) {
            out.println();
            out.println(heading(kind) + ":");
            for (String name : registry.names(kind)) {
                ComponentDefinition d = registry.definition(kind, name);
                out.println("  " + name + " — " + d.description());
                if (d.schema().parameters().isEmpty()) {
                    out.println("      (no parameters)");
                    continue;
                }
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
                out.print(params.render());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** "RegressionInstance" → "Regression instances", "Sketch" → "Sketches". */
    static String heading(Class<?> kind) {
        String words = kind.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        String plural = words.matches(".*(s|sh|ch|x|z)$") ? words + "es" : words + "s";
        return Character.toUpperCase(plural.charAt(0)) + plural.substring(1);
    }
}
