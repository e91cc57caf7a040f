package org.ablate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Optional;

/**
 * A trial folder as status, report and resume read it back: its status, config and summary, or
 * one line saying which file is damaged and how. A damaged trial counts as not finished: run
 * runs it again (the old folder kept under .attempts/), status and report name it and count it.
 *
 * @param status  the recorded status; null when none was written (or it is the damaged file)
 * @param config  config.json; null when absent or damaged
 * @param summary summary.json of a FINISHED trial, as numbers; empty otherwise
 * @param damage  "FILE: what is wrong", or null for an intact trial
 */
public record StoredTrial(TrialFolder folder, TrialStatus status, TrialConfig config,
                          Map<String, Double> summary, String damage) {

    public static StoredTrial read(TrialFolder folder) {
        TrialStatus status = null;
        TrialConfig config = null;
        Map<String, Double> summary = Map.of();
        if (Files.isRegularFile(folder.dir(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // named in sweep.json but a file: not "never started" (run could not write there, report would lose n silently)
            return new StoredTrial(folder, null, config, summary,
                    new StoreDamage(folder.dir(), "a file, expected a trial folder").getMessage());
        }
        try {
            status = TrialStatus.readIfPresent(folder.file(TrialFolder.STATUS)).orElse(null);
            config = readConfig(folder, status);
            if (status != null && status.state() == TrialState.FINISHED) {
                summary = readSummary(folder).metrics();
            }
            return new StoredTrial(folder, status, config, summary, null);
        } catch (IOException e) {
            return new StoredTrial(folder, status, config, Map.of(), oneLine(e));
        }
    }

    /** Intact and recorded FINISHED: the only trials resume skips and the report aggregates. */
    public boolean finished() {
        return damage == null && status != null && status.state() == TrialState.FINISHED;
    }

    public boolean damaged() {
        return damage != null;
    }

    public Optional<TrialState> state() {
        return Optional.ofNullable(status).map(TrialStatus::state);
    }

    /** The trial wrote its config.json (it started), and it is intact. */
    public boolean hasConfig() {
        return config != null;
    }

    /** The seed from config.json; present for every intact trial that started. */
    public Optional<Long> seed() {
        return Optional.ofNullable(config).map(TrialConfig::seed);
    }

    public Map<String, Object> params() {
        return config == null ? Map.of() : config.params();
    }

    /** How long the trial ran, from config.json; empty until it ended. */
    public Optional<Double> durationSeconds() {
        return Optional.ofNullable(config).map(TrialConfig::durationSeconds);
    }

    private static TrialConfig readConfig(TrialFolder folder, TrialStatus status) throws IOException {
        var file = folder.file(TrialFolder.CONFIG);
        unfollowable(file);
        if (!Files.exists(file)) {
            if (status == null) {
                return null; // an empty folder: the trial never started
            }
            throw new StoreDamage(file, "missing (the status file says " + status.state() + ")");
        }
        return TrialConfig.read(file, folder.id());
    }

    private static TrialSummary readSummary(TrialFolder folder) throws IOException {
        var file = folder.file(TrialFolder.SUMMARY);
        unfollowable(file);
        if (!Files.exists(file)) {
            throw new StoreDamage(file, "missing (the trial is recorded FINISHED)");
        }
        return TrialSummary.read(file);
    }

    /** A link that loops or leads nowhere is not "missing", nor is a folder "Is a directory" with no path: say what it is. */
    private static void unfollowable(java.nio.file.Path file) throws StoreDamage {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            throw new StoreDamage(file, "a symbolic link that cannot be followed (a loop, or its target is gone)");
        }
        if (Files.isDirectory(file)) {
            throw new StoreDamage(file, "a folder, expected a file");
        }
    }

    private static String oneLine(IOException e) {
        if (e instanceof StoreDamage) {
            return e.getMessage();
        }
        String what = e instanceof NoSuchFileException ? "disappeared while being read" : e.getClass().getSimpleName();
        String detail = e.getMessage() == null ? what : e.getMessage() + ": " + what;
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            detail = fs.getFile() + ": " + fs.getReason();
        }
        return detail.replace('\n', ' ').replace('\r', ' ');
    }
}
