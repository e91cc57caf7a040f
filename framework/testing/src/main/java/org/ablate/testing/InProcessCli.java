package org.ablate.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ablate.cli.AblateCli;
import picocli.CommandLine;

/**
 * The ablate CLI run in this JVM, as a shell would run it, with what it printed captured: the
 * one harness the engine's and the plugins' tests use. Log lines and libraries' own prints go to
 * the real stdout/stderr, so {@link Result#out()} and {@link Result#err()} hold only the CLI's
 * output and can be compared exactly.
 */
public final class InProcessCli {

    /** An invocation's exit code and what the CLI printed. */
    public record Result(int code, String out, String err) {

        /** The sweep's summary line ("NAME: N finished, …") from {@code ablate run}. */
        public String summaryLine(String experiment) {
            return out.lines().filter(l -> l.startsWith(experiment + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line for " + experiment + " in\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private InProcessCli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = AblateCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code ablate run EXPERIMENT --results-dir RESULTS OVERRIDES...}. */
    public static Result runExperiment(Path experiment, Path results, String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", experiment.toString(), "--results-dir", results.toString()));
        args.addAll(List.of(overrides));
        return run(args.toArray(String[]::new));
    }

    /** Writes {@code yaml} to {@code dir/NAME.yaml} and runs it into {@code dir/results}. */
    public static Result runYaml(Path dir, String name, String yaml, String... overrides) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return runExperiment(file, dir.resolve("results"), overrides);
    }
}
