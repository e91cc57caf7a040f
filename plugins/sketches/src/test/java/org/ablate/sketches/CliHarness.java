package org.ablate.sketches;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.cli.AblateCli;
import org.ablate.store.Json;
import org.ablate.store.ResultsStore;
import org.ablate.store.TrialFolder;

/** Runs the ablate CLI in-process on an experiment file and reads back what it recorded. */
public final class CliHarness {

    /** The exit code and what the run printed. */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private CliHarness() {
    }

    /** Writes {@code yaml} to {@code dir/<name>.yaml} and runs it into {@code dir/results}. */
    public static Run runYaml(Path dir, String name, String yaml, String... overrides) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return run(file, dir.resolve("results"), overrides);
    }

    public static synchronized Run run(Path experiment, Path results, String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", experiment.toString(), "--results-dir", results.toString()));
        args.addAll(List.of(overrides));
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = AblateCli.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static List<TrialFolder> trials(Path results, String experiment) throws IOException {
        return new ResultsStore(results).experiment(experiment).trials();
    }

    /** A trial's resolved parameter. */
    public static Object param(TrialFolder trial, String key) throws IOException {
        return ((Map<?, ?>) trial.config().get("params")).get(key);
    }

    public static double summary(TrialFolder trial, String key) throws IOException {
        Object v = trial.summary().get(key);
        if (v == null) {
            throw new AssertionError("summary of " + trial.id() + " has no '" + key + "': " + trial.summary());
        }
        return Json.toDouble(v);
    }

    /** The values of one metric from metrics.jsonl, by step. */
    public static Map<Long, Double> metric(TrialFolder trial, String name) throws IOException {
        Map<Long, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(trial.file(TrialFolder.METRICS), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> record = Json.MAPPER.readValue(line, Map.class);
            if (name.equals(record.get("name"))) {
                out.put(((Number) record.get("step")).longValue(), Json.toDouble(record.get("value")));
            }
        }
        return out;
    }
}
