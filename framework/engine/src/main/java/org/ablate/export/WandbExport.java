package org.ablate.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ablate.store.ExperimentFolder;
import org.ablate.store.Json;
import org.ablate.store.MetricPoint;
import org.ablate.store.SweepRecord;
import org.ablate.store.TrialConfig;
import org.ablate.store.TrialFolder;
import org.ablate.store.TrialState;
import org.ablate.store.TrialStatus;

/**
 * Offline W&B runs from the results store, one per trial, written by the official wandb library:
 * this class reads the store into a manifest (what each run holds) and hands it to the small
 * Python exporter shipped as a resource (wandb_export.py), which writes the offline-run folders.
 * The store is read only; nothing secret is in it (credentials are never recorded).
 */
public final class WandbExport {

    /** The exporter's exit code when python or its wandb package is missing. */
    public static final int MISSING_WANDB = 7;
    private static final String SCRIPT = "wandb_export.py";
    private static final DateTimeFormatter GROUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final List<String> TRIAL_FILES = List.of(TrialFolder.CONFIG, TrialFolder.SUMMARY, TrialFolder.STATUS,
            TrialFolder.LOG);

    private final ExperimentFolder folder;
    private final Path out;

    public WandbExport(ExperimentFolder folder, Path out) {
        this.folder = folder;
        this.out = out;
    }

    /** The manifest: project, output folder, and per trial its run (see wandb_export.py for the fields). */
    Map<String, Object> manifest() throws IOException {
        SweepRecord sweep = readSweep();
        List<String> planned = sweep.plannedIds();
        String latestGroup = folder.name() + " " + groupTime(sweep.startedAt());
        String description = sweep.description() == null ? "" : sweep.description();
        List<Map<String, Object>> runs = new ArrayList<>();
        List<TrialFolder> trials = new ArrayList<>(folder.trials());
        // the latest invocation's trials first, in its order: the first of them carries the report
        trials.sort(java.util.Comparator.comparingInt(t -> planned.contains(t.id()) ? planned.indexOf(t.id()) : Integer.MAX_VALUE));
        int notEnded = 0;
        for (TrialFolder t : trials) {
            if (t.status().map(TrialStatus::state).filter(st -> st != TrialState.RUNNING).isEmpty()) {
                notEnded++; // running now, or killed while running: its run is written once it ends (or is re-run)
                continue;
            }
            TrialConfig config;
            try {
                config = t.readConfig();
            } catch (IOException | RuntimeException damaged) {
                continue; // `ablate status` names it; a run without its config would say nothing
            }
            String group = recordedGroup(t).orElse(planned.contains(t.id()) ? latestGroup : folder.name() + " (earlier invocation)");
            runs.add(run(t, config, group, description));
        }
        if (!runs.isEmpty() && Files.isDirectory(folder.dir().resolve("report"))) {
            Map<String, String> files = files(runs.get(0));
            try (Stream<Path> report = Files.walk(folder.dir().resolve("report"))) {
                report.filter(Files::isRegularFile).sorted().forEach(p -> files.put(
                        "report/" + folder.dir().resolve("report").relativize(p).toString().replace('\\', '/'), p.toString()));
            }
        }
        for (Map<String, Object> run : runs) {
            run.put("fingerprint", fingerprint(run));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", folder.name());
        m.put("out", out.toAbsolutePath().toString());
        m.put("runs", runs);
        m.put("not_ended", notEnded);
        return m;
    }

    private Map<String, Object> run(TrialFolder t, TrialConfig config, String group, String description) throws IOException {
        Map<String, Object> prov = config.provenance();
        Map<String, Object> git = prov.get("git") instanceof Map<?, ?> g ? cast(g) : Map.of();
        TrialState state = t.status().map(TrialStatus::state).orElse(TrialState.FAILED);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", t.id());
        run.put("name", config.name() != null ? config.name() : t.id());
        run.put("group", group);
        run.put("job_type", String.valueOf(config.task()));
        String reason = t.status().map(TrialStatus::reason).orElse("");
        run.put("notes", description + (state == TrialState.FINISHED || reason.isBlank() ? "" : (description.isBlank() ? "" : "\n\n")
                + state + ": " + reason));
        List<String> tags = new ArrayList<>();
        tags.add("trial-" + t.id());
        if (git.get("commit") != null) {
            tags.add("git-" + git.get("commit").toString().substring(0, Math.min(12, git.get("commit").toString().length())));
        }
        if (Boolean.TRUE.equals(git.get("dirty"))) {
            tags.add("dirty");
        }
        tags.add(state.name().toLowerCase(java.util.Locale.ROOT));
        run.put("tags", tags);
        run.put("config", config(config, prov, git, state));
        run.put("history", history(t));
        run.put("summary", summary(t));
        run.put("exit_code", switch (state) {
            case FINISHED -> 0;
            case INTERRUPTED -> 130;
            default -> 1;
        });
        Map<String, String> files = new TreeMap<>();
        for (String name : TRIAL_FILES) {
            if (Files.isRegularFile(t.file(name))) {
                files.put("ablate/" + name, t.file(name).toString());
            }
        }
        Path artifacts = t.file(TrialFolder.ARTIFACTS);
        if (Files.isDirectory(artifacts)) {
            try (Stream<Path> walk = Files.walk(artifacts)) {
                walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                        .forEach(p -> files.put("ablate/artifacts/" + artifacts.relativize(p).toString().replace('\\', '/'), p.toString()));
            }
        }
        run.put("files", files);
        return run;
    }

    /** Typed config: task, seed, every resolved parameter as JSON typed it, each formula's value, provenance. */
    private static Map<String, Object> config(TrialConfig config, Map<String, Object> prov, Map<String, Object> git,
                                              TrialState state) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", config.task());
        c.put("seed", config.seed());
        c.putAll(config.params());
        config.expressionValues().forEach((k, v) -> c.put(k + ".value", v));
        Map<String, Object> ablate = new LinkedHashMap<>();
        ablate.put("trial_id", config.trialId());
        ablate.put("experiment", config.experiment());
        ablate.put("state", state.name());
        ablate.put("started_at", config.startedAt());
        ablate.put("ended_at", config.endedAt());
        ablate.put("git_commit", git.get("commit"));
        ablate.put("git_dirty", git.get("dirty"));
        for (String k : List.of("java_version", "nd4j_backend", "host", "os", "user", "command")) {
            ablate.put(k, prov.get(k));
        }
        c.put("ablate", ablate);
        return c;
    }

    /** metrics.jsonl as rows by step (ascending, W&B's order): values, and the latest timestamp of the row. */
    private static List<Map<String, Object>> history(TrialFolder t) throws IOException {
        TreeMap<Long, Map<String, Object>> rows = new TreeMap<>();
        Path file = t.file(TrialFolder.METRICS);
        if (!Files.exists(file)) {
            return List.of();
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                MetricPoint p = MetricPoint.parse(line).orElse(null);
                if (p == null) {
                    continue; // a blank line or one cut by a crash: the rest still counts
                }
                Map<String, Object> row = rows.computeIfAbsent(p.step(), s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("step", s);
                    m.put("timestamp", 0L);
                    m.put("values", new LinkedHashMap<String, Object>());
                    return m;
                });
                Map<String, Object> values = cast((Map<?, ?>) row.get("values"));
                values.put(String.valueOf(p.name()), p.value());
                if (p.timestamp() != null) {
                    row.put("timestamp", Math.max((Long) row.get("timestamp"), p.timestamp()));
                }
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static Map<String, Object> summary(TrialFolder t) {
        if (!Files.exists(t.file(TrialFolder.SUMMARY))) {
            return Map.of();
        }
        try {
            return new LinkedHashMap<>(t.readSummary().metrics());
        } catch (IOException | RuntimeException damaged) {
            return Map.of();
        }
    }

    private SweepRecord readSweep() {
        try {
            return SweepRecord.read(folder.dir().resolve(ExperimentFolder.SWEEP));
        } catch (IOException | RuntimeException absent) {
            return SweepRecord.absent();
        }
    }

    /** The MLflow invocation's name recorded with the trial (the parent run's name), so both say the same. */
    private static java.util.Optional<String> recordedGroup(TrialFolder t) {
        Path file = t.file("mlflow.json");
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        try {
            if (Json.readMap(file).get("invocation") instanceof Map<?, ?> inv && inv.get("run_name") != null) {
                return java.util.Optional.of(inv.get("run_name").toString());
            }
        } catch (IOException | RuntimeException unreadable) {
            // the sweep's own time then
        }
        return java.util.Optional.empty();
    }

    private static String groupTime(Object isoInstant) {
        try {
            return GROUP_TIME.format(Instant.parse(String.valueOf(isoInstant)));
        } catch (RuntimeException e) {
            return "(no sweep.json)";
        }
    }

    /** SHA-256 over the run's manifest entry and its files' bytes: an unchanged trial is not written again. */
    private static String fingerprint(Map<String, Object> run) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Json.line(run).getBytes(StandardCharsets.UTF_8));
            for (String path : files(run).values()) {
                sha.update(Files.readAllBytes(Path.of(path)));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> files(Map<String, Object> run) {
        return (Map<String, String>) run.get("files");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * Runs the Python exporter with {@code python}, the manifest on its stdin; its lines go to
     * {@code out} and {@code err}. Returns its exit code ({@link #MISSING_WANDB} without wandb or python).
     */
    public int run(String python, PrintWriter outWriter, PrintWriter errWriter) throws IOException, InterruptedException {
        Map<String, Object> manifest; // before the process: a store that cannot be read stops here
        try {
            manifest = manifest();
        } catch (IOException e) {
            throw new org.ablate.store.StoreException("cannot read the results in " + folder.dir() + ": " + e, e);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new org.ablate.store.StoreException("cannot write the W&B runs to " + out + ": " + whyNotAFolder(out, e), e);
        }
        // alone in a fresh folder: Python puts the script's folder first on sys.path, and a stray
        // wandb/ folder beside it (wandb's own fallback run folder is /tmp/wandb) would shadow the package
        Path scriptDir = Files.createTempDirectory("ablate-wandb-export");
        Path script = scriptDir.resolve(SCRIPT);
        try {
            try (InputStream in = WandbExport.class.getResourceAsStream(SCRIPT)) {
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Process p;
            try {
                ProcessBuilder pb = new ProcessBuilder(python, script.toString());
                pb.environment().put("WANDB_SILENT", "true");
                p = pb.start();
            } catch (IOException notFound) {
                errWriter.println("ablate: error: export wandb needs Python with the wandb package: '" + python
                        + "' cannot be run (pip install wandb; choose the python with --python or ABLATE_WANDB_PYTHON)");
                errWriter.flush();
                return MISSING_WANDB;
            }
            Thread errors = pump(p.getErrorStream(), errWriter);
            Thread output = pump(p.getInputStream(), outWriter);
            try (OutputStream stdin = p.getOutputStream()) {
                Json.MAPPER.writeValue(stdin, manifest);
            } catch (IOException exited) {
                // it stopped reading (no wandb): its message and exit code say why
            }
            int code = p.waitFor();
            errors.join();
            output.join();
            return code;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(scriptDir);
        }
    }

    /** The file in the way (out itself or a parent), else the system's reason. */
    private static String whyNotAFolder(Path dir, IOException e) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                return p + " is a file, not a folder";
            }
        }
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.toString();
    }

    private static Thread pump(InputStream in, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (to) {
                        to.println(line);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "wandb-export-output");
        t.start();
        return t;
    }
}
