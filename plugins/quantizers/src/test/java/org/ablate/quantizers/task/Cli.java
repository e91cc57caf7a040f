package org.ablate.quantizers.task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ablate.cli.AblateCli;
import org.ablate.store.Json;
import org.ablate.store.TrialFolder;

/** Runs the ablate CLI in-process with its output captured, and reads what a trial recorded. */
final class Cli {

    /** The exit code and what the run printed. */
    record Run(int exitCode, String out, String err) {
        /**
         * The sweep's summary line ("name: N finished, …"). Not necessarily the first line: ND4J's
         * SameDiff prints "Added differentiated op …" with System.out.println when a trial's graph
         * first builds its gradient function.
         */
        String summaryLine(String experiment) {
            return out.lines().filter(l -> l.startsWith(experiment + ": ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line for " + experiment + " in\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static synchronized Run run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = AblateCli.execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Object param(TrialFolder trial, String key) throws IOException {
        return ((Map<?, ?>) trial.config().get("params")).get(key);
    }

    static double summary(TrialFolder trial, String key) throws IOException {
        Object v = trial.summary().get(key);
        if (v == null) {
            throw new AssertionError("summary of " + trial.id() + " has no '" + key + "': " + trial.summary());
        }
        return Json.toDouble(v);
    }

    /** One metric's values from metrics.jsonl, by step. */
    static Map<Long, Double> metric(TrialFolder trial, String name) throws IOException {
        Map<Long, Double> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(trial.file(TrialFolder.METRICS), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Map<?, ?> record = Json.MAPPER.readValue(line, Map.class);
            if (name.equals(record.get("name"))) {
                out.put(((Number) record.get("step")).longValue(), Json.toDouble(record.get("value")));
            }
        }
        return out;
    }

    static List<String> metricNames(TrialFolder trial) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(trial.file(TrialFolder.METRICS), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                String n = (String) Json.MAPPER.readValue(line, Map.class).get("name");
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return names;
    }
}
