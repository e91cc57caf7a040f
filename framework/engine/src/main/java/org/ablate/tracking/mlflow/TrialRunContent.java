package org.ablate.tracking.mlflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ablate.config.Values;
import org.ablate.store.Json;
import org.ablate.store.MetricPoint;
import org.ablate.store.TrialConfig;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * What a trial's MLflow run holds, read from its folder in the results store (the source of
 * truth), so a live run and a later replay log exactly the same things: params = the task, the
 * seed and every resolved parameter (dotted keys), plus {@code <key>.value} for a formula's value; tags = identity and provenance; metrics = the
 * history in metrics.jsonl (same steps and timestamps) plus the summary as {@code summary/<name>};
 * artifacts = config.json, summary.json, status, trial.log and the trial's artifacts folder.
 */
final class TrialRunContent {

    static final String SUMMARY_PREFIX = "summary/";
    /** {@code m.value} = 64 next to {@code m} = "4 * d" (an EXPRESSION parameter is never a component, so no clash). */
    static final String EXPRESSION_VALUE_SUFFIX = ".value";

    private final TrialFolder folder;
    private final TrialConfig config;

    private TrialRunContent(TrialFolder folder, TrialConfig config) {
        this.folder = folder;
        this.config = config;
    }

    static TrialRunContent read(TrialFolder folder) throws IOException {
        return new TrialRunContent(folder, folder.readConfig());
    }

    String task() {
        return config.task();
    }

    String trialId() {
        return String.valueOf(config.trialId());
    }

    String runName() {
        return config.name() != null ? config.name() : trialId();
    }

    long startMillis() {
        return millis(config.startedAt(), System.currentTimeMillis());
    }

    long endMillis() {
        return millis(config.endedAt(), System.currentTimeMillis());
    }

    String user() {
        Object u = config.provenance().get("user");
        return u == null ? System.getProperty("user.name") : u.toString();
    }

    List<Param> params() {
        List<Param> out = new ArrayList<>();
        out.add(RunBatches.param("task", String.valueOf(config.task())));
        out.add(RunBatches.param("seed", String.valueOf(config.seed())));
        config.params().forEach((k, v) -> out.add(RunBatches.param(k, paramValue(v))));
        // next to the formula, its value: W&B's importer and the runs table's filters see only params
        config.expressionValues().forEach((k, v) -> out.add(RunBatches.param(k + EXPRESSION_VALUE_SUFFIX, paramValue(v))));
        return out;
    }

    /** Identity and provenance tags (the parent link is added by the caller). */
    Map<String, String> tags() {
        Map<String, Object> prov = config.provenance();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(Tags.RUN_NAME, runName());
        tags.put(Tags.USER, user());
        tags.put(Tags.SOURCE_TYPE, "LOCAL");
        tags.put(Tags.SOURCE_NAME, "ablate " + config.experiment());
        tags.put(Tags.ROLE, "trial");
        tags.put(Tags.TRIAL_ID, trialId());
        tags.put(Tags.EXPERIMENT, String.valueOf(config.experiment()));
        tags.put("ablate.task", String.valueOf(config.task()));
        tags.putAll(Tags.provenance(prov));
        return tags;
    }

    /** The metric history as logged, from metrics.jsonl. */
    List<Metric> history() throws IOException {
        Path file = folder.file(TrialFolder.METRICS);
        List<Metric> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Metric m = point(line);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** One metrics.jsonl line as an MLflow metric; null for a blank line or one cut by a crash. */
    static Metric point(String line) {
        return MetricPoint.parse(line).filter(p -> p.timestamp() != null)
                .map(p -> RunBatches.metric(String.valueOf(p.name()), p.value(), p.timestamp(), p.step())).orElse(null);
    }

    /** The summary as {@code summary/<name>} metrics at the last logged step and the end time. */
    List<Metric> summaryMetrics(long lastStep) throws IOException {
        List<Metric> out = new ArrayList<>();
        if (!Files.exists(folder.file(TrialFolder.SUMMARY))) {
            return out;
        }
        long end = endMillis();
        folder.readSummary().metrics().forEach((name, value) -> out.add(RunBatches.metric(SUMMARY_PREFIX + name, value, end, lastStep)));
        return out;
    }

    TrialState state() {
        return folder.status().map(TrialStatus::state).orElse(TrialState.FAILED);
    }

    String failureReason() {
        return folder.status().map(TrialStatus::reason).orElse("");
    }

    static RunStatus runStatus(TrialState state) {
        return switch (state) {
            case FINISHED -> RunStatus.FINISHED;
            case INTERRUPTED -> RunStatus.KILLED;
            case RUNNING -> RunStatus.RUNNING;
            default -> RunStatus.FAILED;
        };
    }

    /** Artifact path → file: config.json, summary.json, status, trial.log, and everything under artifacts/. */
    Map<String, Path> artifacts() throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String name : List.of(TrialFolder.CONFIG, TrialFolder.SUMMARY, TrialFolder.STATUS, TrialFolder.LOG)) {
            if (Files.isRegularFile(folder.file(name))) {
                out.put(name, folder.file(name));
            }
        }
        Path dir = folder.file(TrialFolder.ARTIFACTS);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted().forEach(p -> out.put(TrialFolder.ARTIFACTS + "/"
                                + dir.relativize(p).toString().replace('\\', '/'), p));
            }
        }
        return out;
    }

    static String paramValue(Object v) {
        return v instanceof List<?> || v instanceof Map<?, ?> ? Json.line(v) : Values.format(v);
    }

    static long millis(Object isoInstant, long fallback) {
        if (isoInstant == null) {
            return fallback;
        }
        try {
            return Instant.parse(isoInstant.toString()).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
