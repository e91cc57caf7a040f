package org.ablate.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ablate.config.ConfigException;
import org.ablate.config.Origin;
import org.ablate.config.Sourced;
import org.ablate.config.YamlNode;
import org.ablate.spi.launch.Resources;

/**
 * Where an experiment's trials run and what each asks for, as the file says:
 * {@code launcher: process} or {@code launcher: {name: process, KEY: VALUE}} (options checked later
 * against the launcher's schema), and {@code resources: {cpus: 2, memory: 4g, gpus: 1}}.
 *
 * @param launcher the launcher's name, or null (the default, in-process)
 */
public record LaunchSettings(Sourced launcher, Map<String, Sourced> options, Resources resources) {

    public static final LaunchSettings NONE = new LaunchSettings(null, Map.of(), Resources.NONE);
    static final Set<String> RESOURCE_KEYS = new java.util.LinkedHashSet<>(List.of("cpus", "memory", "gpus"));
    private static final java.util.regex.Pattern SIZE = java.util.regex.Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    public LaunchSettings {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        resources = resources == null ? Resources.NONE : resources;
    }

    static LaunchSettings parse(YamlNode launcher, YamlNode resources) {
        Sourced name = null;
        Map<String, Sourced> options = new LinkedHashMap<>();
        if (launcher != null) {
            if (launcher.isMap()) {
                for (Map.Entry<String, YamlNode> e : launcher.asMap().entrySet()) {
                    if (e.getKey().equals("name")) {
                        e.getValue().asString();
                        name = e.getValue().toSourced();
                    } else {
                        options.put(e.getKey(), e.getValue().toSourced());
                    }
                }
                if (name == null) {
                    throw new ConfigException(launcher.origin(), "a launcher mapping needs 'name' (accepted: launcher: NAME,"
                            + " or launcher: {name: NAME, OPTION: VALUE, ...})");
                }
            } else {
                launcher.asString();
                name = launcher.toSourced();
            }
        }
        return new LaunchSettings(name, options, resources == null ? Resources.NONE : resources(resources));
    }

    private static Resources resources(YamlNode section) {
        int cpus = 0;
        long memory = 0;
        int gpus = 0;
        for (Map.Entry<String, YamlNode> e : section.asMap().entrySet()) {
            YamlNode v = e.getValue();
            switch (e.getKey()) {
                case "cpus" -> cpus = (int) count(v, 1, 4096, "cpus: a whole number of CPUs, 1 to 4096, e.g. cpus: 2");
                case "gpus" -> gpus = (int) count(v, 0, 1024, "gpus: a whole number of GPUs, 0 to 1024, e.g. gpus: 1");
                case "memory" -> memory = memory(v);
                default -> throw ExperimentParser.unknownKey(v.origin(), e.getKey(), RESOURCE_KEYS);
            }
        }
        return new Resources(cpus, memory, gpus);
    }

    private static long count(YamlNode v, long min, long max, String accepted) {
        if (!(v.toPlain() instanceof Long n) || n < min || n > max) {
            throw new ConfigException(v.origin(), "bad value " + v.describe() + " (accepted: " + accepted + ")");
        }
        return n;
    }

    /** Bytes from 4g, 512m, 4GiB, 2048 (bytes): what -Xmx and schedulers take. */
    static long memory(YamlNode v) {
        String accepted = " (accepted: memory: a size with a unit, e.g. 512m, 4g, 4GiB, or a whole number of bytes)";
        Object plain = v.toPlain();
        java.util.regex.Matcher m = plain instanceof String || plain instanceof Long
                ? SIZE.matcher(String.valueOf(plain).strip()) : null;
        if (m == null || !m.matches()) {
            throw new ConfigException(v.origin(), "bad value " + v.describe() + accepted);
        }
        int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(v.origin(), "size " + v.describe() + " is too large" + accepted);
        }
        if (bytes < (1L << 20)) {
            throw new ConfigException(v.origin(), "size " + v.describe() + " is below 1 MiB, too little for a trial" + accepted);
        }
        return bytes;
    }

    /** For the sweep record: what was asked, in the file's own terms. */
    public Map<String, Object> describeResources() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (resources.cpus() > 0) {
            m.put("cpus", resources.cpus());
        }
        if (resources.memoryBytes() > 0) {
            m.put("memory_bytes", resources.memoryBytes());
        }
        if (resources.gpus() > 0) {
            m.put("gpus", resources.gpus());
        }
        return m;
    }

    Origin origin() {
        return launcher == null ? null : launcher.origin();
    }
}
