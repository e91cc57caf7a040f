package org.ablate.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a trial's {@code status} file: the state on the first line, then "key: value"
 * lines (reason, pid, host, time), then for a failure a blank line and the stack trace.
 */
public record TrialStatus(TrialState state, Map<String, String> fields, String stackTrace) {

    public TrialStatus {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        stackTrace = stackTrace == null ? "" : stackTrace;
    }

    public static TrialStatus running(long pid, String host) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("pid", Long.toString(pid));
        f.put("host", host);
        f.put("since", Instant.now().toString());
        return new TrialStatus(TrialState.RUNNING, f, "");
    }

    public static TrialStatus finished() {
        return new TrialStatus(TrialState.FINISHED, Map.of("at", Instant.now().toString()), "");
    }

    public static TrialStatus ended(TrialState state, String reason, String stackTrace) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("reason", reason.replace('\n', ' ').replace('\r', ' '));
        f.put("at", Instant.now().toString());
        return new TrialStatus(state, f, stackTrace);
    }

    public String reason() {
        return fields.getOrDefault("reason", "");
    }

    /** The process that runs (or ran) the trial, as recorded by {@link #running}; empty when none or not a number. */
    public java.util.OptionalLong pid() {
        String pid = fields.get("pid");
        try {
            return pid == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(pid.strip()));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** The host of that process; null when not recorded. */
    public String host() {
        return fields.get("host");
    }

    public String render() {
        StringBuilder s = new StringBuilder(state.name()).append('\n');
        fields.forEach((k, v) -> s.append(k).append(": ").append(v).append('\n'));
        if (!stackTrace.isEmpty()) {
            s.append('\n').append(stackTrace);
            if (!stackTrace.endsWith("\n")) {
                s.append('\n');
            }
        }
        return s.toString();
    }

    public static TrialStatus parse(String text) {
        String[] lines = text.split("\n", -1);
        TrialState state = TrialState.valueOf(lines[0].strip());
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 1;
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(": ");
            if (colon > 0) {
                fields.put(lines[i].substring(0, colon), lines[i].substring(colon + 2));
            }
        }
        StringBuilder trace = new StringBuilder();
        for (i++; i < lines.length; i++) {
            trace.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
        }
        return new TrialStatus(state, fields, trace.toString());
    }

    public static TrialStatus read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * The status file, empty when there is none, or a {@link StoreDamage} naming what is wrong
     * with it (empty, not text, an unknown state word).
     */
    public static java.util.Optional<TrialStatus> readIfPresent(Path file) throws IOException {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            throw new StoreDamage(file, "a symbolic link that cannot be followed (a loop, or its target is gone)");
        }
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        if (Files.isDirectory(file)) {
            throw new StoreDamage(file, "a folder, expected a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new StoreDamage(file, "not UTF-8 text");
        }
        String first = text.split("\n", 2)[0].strip();
        if (first.isEmpty()) {
            throw new StoreDamage(file, text.isBlank() ? "the file is empty" : "no state on its first line");
        }
        try {
            TrialState.valueOf(first);
        } catch (IllegalArgumentException e) {
            String word = first.length() > 40 ? first.substring(0, 40) + "..." : first;
            throw new StoreDamage(file, "unknown state '" + word + "' on its first line (expected one of "
                    + java.util.Arrays.toString(TrialState.values()).replaceAll("[\\[\\]]", "") + ")");
        }
        return java.util.Optional.of(parse(text));
    }
}
