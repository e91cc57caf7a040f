package org.ablate.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ablate.config.ConfigErrors;
import org.ablate.config.ConfigException;
import org.ablate.config.Durations;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.Suggestions;
import org.ablate.config.Values;
import org.ablate.config.YamlNode;
import org.ablate.config.YamlReader;
import org.ablate.spi.ComponentRegistry;

/**
 * Reads an experiment file. Checks its structure (keys, shapes, sweep lists); parameter names and
 * values are checked later against the task's schema by {@link ParameterResolver}.
 *
 * <pre>
 * name: example-quick          # default: the file name without .yaml
 * description: ...
 * task: monte-carlo-pi
 * params: {samples: 1000}      # fixed values; nested maps become dotted keys
 * sweep:
 *   grid: {samples: [100, 1000]}        # cartesian product
 *   zip:  {a: [1, 2], b: [x, y]}        # lists that vary together (or a list of such groups)
 * seeds: [0, 1, 2]             # or: repeats: 3 (with optional base seed: 10)
 * overrides: [{when: {sampler: sobol}, set: {samples: 512}}]
 * exclude: [{sampler: sobol, samples: 100}]
 * timeout: 10m                 # per trial
 * headline: error              # the summary metric `ablate status` shows
 * tracking: {uri: http://127.0.0.1:5000, experiment: pi-study}   # MLflow (both optional)
 * report: {plots: [...]}       # and claims: [...], see {@link ReportSpec}
 * launcher: process            # where trials run (or {name: process, OPTION: VALUE}); see LaunchSettings
 * resources: {cpus: 2, memory: 4g, gpus: 1}   # per trial, honoured where the launcher can
 * </pre>
 *
 * The {@code sweep:} section is read by a {@link org.ablate.spi.sweep.Sweeper}: the built-in
 * plugin's {@code grid} (above) unless another registered sweeper recognises the section as its
 * dialect, as the built-in {@code wandb} does a Weights &amp; Biases sweep configuration by its
 * {@code method} key (grid or random):
 *
 * <pre>
 * sweep:
 *   method: random             # random samples run_cap configurations from the file's seed
 *   run_cap: 20
 *   metric: {name: error, goal: minimize}   # the headline, unless the file gives one
 *   parameters:
 *     samples: {values: [100, 1000]}
 *     tolerance: {distribution: log_uniform_values, min: 1e-6, max: 1e-2}
 *     sampler: {value: sobol}  # fixed
 * </pre>
 */
public final class ExperimentParser {

    static final Set<String> TOP_LEVEL_KEYS = new java.util.LinkedHashSet<>(List.of(
            "name", "description", "task", "params", "sweep", "seed", "seeds", "repeats",
            "overrides", "exclude", "timeout", "headline", "tracking", "report", "claims", "launcher", "resources",
            "command", "schema"));
    private static final Set<String> TRACKING_KEYS = new java.util.LinkedHashSet<>(List.of("uri", "experiment"));
    private static final Set<String> OVERRIDE_KEYS = new java.util.LinkedHashSet<>(List.of("when", "set"));
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** A folder name is at most 255 bytes, and --fresh appends ".archived-<time>" (25): longer fails only at the first write. */
    public static final int MAX_NAME_LENGTH = 200;

    /** The experiment-name rule, which also keeps a name given on the command line inside the results folder. */
    public static boolean isExperimentName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The refusal of a name over {@link #MAX_NAME_LENGTH} (from a file or a command argument). */
    public static String tooLong(String name) {
        return "experiment name of " + name.length() + " characters is too long for a folder name (at most "
                + MAX_NAME_LENGTH + "; set a shorter 'name:')";
    }

    /** The YAML reader's limit is 8 Mi code points; a UTF-8 code point is at most 4 bytes. */
    static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

    private ExperimentParser() {
    }

    /** Reads {@code file}, its sweep section through the installed plugins' sweepers. */
    public static ExperimentSpec parse(Path file) {
        return parse(file, SweepSections::installed);
    }

    /** Reads {@code file}, its sweep section through the sweepers of {@code registry} (asked only when there is one). */
    public static ExperimentSpec parse(Path file, Supplier<ComponentRegistry> registry) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) { // reading a multi-gigabyte file would exhaust the heap first
                throw new ConfigException(file.toString(), "the file is " + size + " bytes, too large for an experiment file"
                        + " (accepted: at most " + MAX_FILE_BYTES + " bytes)");
            }
            text = org.ablate.config.Utf8Text.decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "experiment file not found");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read experiment file: " + e.getMessage());
        }
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return parse(text, file.toString(), stem, registry);
    }

    public static ExperimentSpec parse(String text, String source, String defaultName) {
        return parse(text, source, defaultName, SweepSections::installed);
    }

    public static ExperimentSpec parse(String text, String source, String defaultName, Supplier<ComponentRegistry> registry) {
        YamlNode root = YamlReader.read(text, source);
        Map<String, YamlNode> top = root.asMap();
        // each section is checked even when an earlier one is bad, so one run reports them all
        ConfigErrors errors = new ConfigErrors();
        for (Map.Entry<String, YamlNode> e : top.entrySet()) {
            if (!TOP_LEVEL_KEYS.contains(e.getKey())) {
                errors.add(unknownKey(e.getValue().origin(), e.getKey(), TOP_LEVEL_KEYS));
            }
        }
        String name = errors.get(() -> name(top, source, defaultName), defaultName);
        String description = errors.get(() -> top.containsKey("description") ? top.get("description").asString() : "", "");
        YamlNode task = errors.get(() -> {
            YamlNode t = top.get("task");
            if (t == null) {
                throw new ConfigException(new Origin(source, 1, "task"), "missing required key (the task each trial runs)");
            }
            t.asString();
            return t;
        }, null);

        CommandSpec command = task == null ? null : errors.get(() -> command(top, task, source), null);

        Map<String, Sourced> params = new LinkedHashMap<>();
        boolean paramsRead = !top.containsKey("params") || errors.collect(() -> flatten(top.get("params"), "", params));

        List<SweepAxis> grid = new ArrayList<>();
        List<List<SweepAxis>> zips = new ArrayList<>();
        String metric = null;
        if (top.containsKey("sweep")) {
            String[] wandbMetric = {null};
            boolean sweepRead = errors.collect(() -> wandbMetric[0] = sweep(top, params, grid, zips, registry));
            metric = wandbMetric[0];
            if (paramsRead && sweepRead) {
                errors.collect(() -> checkSweptOnce(params, grid, zips));
            }
        }

        Seeding seeding = errors.get(() -> seeding(top, source), Seeding.defaults());
        List<ConditionalOverride> overrides = new ArrayList<>();
        if (top.containsKey("overrides")) {
            for (YamlNode item : errors.get(() -> top.get("overrides").asList(), List.<YamlNode>of())) {
                errors.collect(() -> overrides.add(override(item)));
            }
        }
        List<Map<String, Sourced>> excludes = new ArrayList<>();
        if (top.containsKey("exclude")) {
            for (YamlNode item : errors.get(() -> top.get("exclude").asList(), List.<YamlNode>of())) {
                errors.collect(() -> {
                    Map<String, Sourced> match = new LinkedHashMap<>();
                    flatten(item, "", match);
                    excludes.add(match);
                });
            }
        }
        Duration timeout = errors.get(() -> top.containsKey("timeout")
                ? Durations.parse(top.get("timeout").value(), top.get("timeout").origin()) : null, null);
        String fromSweep = metric;
        String headline = errors.get(() -> top.containsKey("headline") ? top.get("headline").asString() : fromSweep, null);
        TrackingSettings tracking = errors.get(() -> top.containsKey("tracking") ? tracking(top.get("tracking")) : TrackingSettings.NONE,
                TrackingSettings.NONE);
        ReportSpec report = errors.get(() -> ReportSpec.parse(top.get("report"), top.get("claims")), ReportSpec.NONE);
        LaunchSettings launch = errors.get(() -> LaunchSettings.parse(top.get("launcher"), top.get("resources")),
                LaunchSettings.NONE);
        errors.throwIfAny();
        return new ExperimentSpec(name, description, task.toSourced(), source, textOrEmpty(text), params,
                grid, zips, seeding, overrides, excludes, timeout, headline, tracking, report, launch, command);
    }

    /** {@code command:} and {@code schema:} belong to {@code task: command}, and it needs them. */
    private static CommandSpec command(Map<String, YamlNode> top, YamlNode task, String source) {
        if (CommandSpec.TASK.equals(task.value())) {
            return CommandSpec.parse(top.get("command"), top.get("schema"), task.origin(), source);
        }
        for (String key : List.of("command", "schema")) {
            if (top.containsKey(key)) {
                throw new ConfigException(top.get(key).origin(), "only for task: command (this file's task is '"
                        + task.value() + "', whose parameters its plugin declares)");
            }
        }
        return null;
    }

    private static String name(Map<String, YamlNode> top, String source, String defaultName) {
        String name = top.containsKey("name") ? top.get("name").asString() : defaultName;
        if (!NAME.matcher(name).matches()) {
            Origin o = top.containsKey("name") ? top.get("name").origin() : new Origin(source, 0, "name");
            throw new ConfigException(o, "experiment name '" + name
                    + "' must be usable as a folder name (letters, digits, '.', '_', '-')");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            Origin o = top.containsKey("name") ? top.get("name").origin() : new Origin(source, 0, "name");
            throw new ConfigException(o, tooLong(name));
        }
        return name;
    }

    /**
     * Reads the sweep section, through the sweeper whose dialect it is, into grid and zips (its
     * fixed values into params); its metric or null.
     */
    private static String sweep(Map<String, YamlNode> top, Map<String, Sourced> params, List<SweepAxis> grid,
                                List<List<SweepAxis>> zips, Supplier<ComponentRegistry> registry) {
        YamlNode section = top.get("sweep");
        section.asMap(); // a mapping in every dialect
        SweepSections.Read read = SweepSections.read(section,
                () -> top.containsKey("seed") ? top.get("seed").asLong() : 0, registry);
        for (Map.Entry<String, Sourced> e : read.fixed().entrySet()) {
            Sourced before = params.putIfAbsent(e.getKey(), e.getValue());
            if (before != null) {
                throw new ConfigException(e.getValue().origin(), "both under 'params' (at "
                        + before.origin().location() + ") and in the sweep; keep one");
            }
        }
        grid.addAll(read.grid());
        zips.addAll(read.zips());
        return read.metric();
    }

    private static ConditionalOverride override(YamlNode item) {
        Map<String, YamlNode> o = item.asMap();
        for (Map.Entry<String, YamlNode> e : o.entrySet()) {
            if (!OVERRIDE_KEYS.contains(e.getKey())) {
                throw unknownKey(e.getValue().origin(), e.getKey(), OVERRIDE_KEYS);
            }
        }
        if (!o.containsKey("when") || !o.containsKey("set")) {
            throw new ConfigException(item.origin(), "an override needs both 'when' and 'set'");
        }
        Map<String, Sourced> when = new LinkedHashMap<>();
        Map<String, Sourced> set = new LinkedHashMap<>();
        flatten(o.get("when"), "", when);
        flatten(o.get("set"), "", set);
        return new ConditionalOverride(when, set);
    }

    private static String textOrEmpty(String text) {
        return text == null ? "" : text;
    }

    /** Nested mappings become dotted keys: {sketch: {s: 4}} → sketch.s = 4. */
    private static void flatten(YamlNode node, String prefix, Map<String, Sourced> out) {
        Map<String, YamlNode> nodes = new LinkedHashMap<>();
        flattenNodes(node, prefix, nodes);
        nodes.forEach((key, value) -> out.put(key, value.toSourced()));
    }

    private static void flattenNodes(YamlNode node, String prefix, Map<String, YamlNode> out) {
        for (Map.Entry<String, YamlNode> e : node.asMap().entrySet()) {
            if (e.getValue().isMap()) {
                flattenNodes(e.getValue(), prefix + e.getKey() + ".", out);
            } else {
                YamlNode before = out.put(prefix + e.getKey(), e.getValue());
                if (before != null) {
                    throw new ConfigException(e.getValue().origin(), "'" + prefix + e.getKey() + "' is written twice (also at "
                            + before.origin().location() + ", as a dotted or a nested key)");
                }
            }
        }
    }

    private static void checkSweptOnce(Map<String, Sourced> params, List<SweepAxis> grid, List<List<SweepAxis>> zips) {
        Map<String, Origin> seen = new LinkedHashMap<>();
        List<SweepAxis> all = new ArrayList<>(grid);
        zips.forEach(all::addAll);
        for (SweepAxis a : all) {
            Origin before = seen.put(a.key(), a.origin());
            if (before != null) {
                throw new ConfigException(a.origin(), "swept twice (also at " + before.location() + ")");
            }
            if (params.containsKey(a.key())) {
                throw new ConfigException(a.origin(), "both fixed (at " + params.get(a.key()).origin().location()
                        + ") and swept; keep one");
            }
        }
    }

    private static Seeding seeding(Map<String, YamlNode> top, String source) {
        YamlNode seeds = top.get("seeds");
        YamlNode repeats = top.get("repeats");
        YamlNode base = top.get("seed");
        if (seeds != null && (repeats != null || base != null)) {
            YamlNode other = repeats != null ? repeats : base;
            throw new ConfigException(other.origin(), "give either 'seeds' (an explicit list) or 'seed'/'repeats', not both");
        }
        if (seeds != null) {
            List<Long> list = new ArrayList<>();
            for (YamlNode s : seeds.asList()) {
                list.add(s.asLong());
            }
            return Seeding.explicit(list, seeds.origin());
        }
        long b = base == null ? 0 : base.asLong();
        long r = repeats == null ? 1 : repeats.asLong();
        if (r < 1 || r > 100_000) {
            throw new ConfigException(repeats.origin(), "repeats must be in [1, 100000], got " + r);
        }
        Origin at = base != null ? base.origin() : repeats != null ? repeats.origin() : new Origin(source, 0, "seed");
        return Seeding.consecutive(b, (int) r, at);
    }

    private static TrackingSettings tracking(YamlNode section) {
        Map<String, YamlNode> t = section.asMap();
        for (Map.Entry<String, YamlNode> e : t.entrySet()) {
            if (!TRACKING_KEYS.contains(e.getKey())) {
                throw unknownKey(e.getValue().origin(), e.getKey(), TRACKING_KEYS);
            }
        }
        String uri = t.containsKey("uri") ? t.get("uri").asString() : null;
        if (uri != null) {
            TrackingSettings.uriProblem(uri).ifPresent(p -> {
                throw new ConfigException(t.get("uri").origin(), p);
            });
        }
        return new TrackingSettings(uri, t.containsKey("experiment") ? t.get("experiment").asString() : null);
    }

    static ConfigException unknownKey(Origin origin, String key, Set<String> accepted) {
        return new ConfigException(origin, "unknown key" + Suggestions.didYouMean(key, accepted)
                + " (accepted: " + String.join(", ", accepted) + ")");
    }
}
