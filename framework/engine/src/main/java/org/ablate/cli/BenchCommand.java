package org.ablate.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.Suggestions;
import org.ablate.experiment.CommandLineOverrides;
import org.ablate.experiment.ParameterResolver;
import org.ablate.plugin.PluginRuntime;
import org.ablate.spi.Benchmark;
import org.ablate.spi.ComponentDefinition;
import org.ablate.spi.ComponentRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs a benchmark and prints its figures (see `ablate plugins` for the benchmarks).",
                "Parameters as key=value, validated like an experiment's."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BENCHMARK", description = "The benchmark's name.")
    String name;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "The benchmark's parameters.")
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PluginRuntime engine = PluginRuntime.start();
        ComponentRegistry registry = engine.registry();
        List<String> names = registry.names(Benchmark.class);
        ComponentDefinition definition = registry.find(Benchmark.class, name).orElseThrow(() ->
                new ConfigException("command line '" + name + "'", "unknown benchmark" + Suggestions.didYouMean(name, names)
                        + " (accepted: " + String.join(", ", names) + ")"));
        Map<String, Sourced> raw = CommandLineOverrides.parameters(arguments);
        var params = new ParameterResolver(registry).resolve(definition, raw, new Origin("command line", 0, name));
        PrintWriter out = spec.commandLine().getOut();
        registry.create(Benchmark.class, name).run(params, out);
        out.flush();
        return ExitCodes.OK;
    }
}
