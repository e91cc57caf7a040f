package org.ablate.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The folder of one trial: {@code results/<experiment>/<trial-id>/}, or one attempt at it staged
 * under {@code .staging/} until the holder of the experiment's lock commits it ({@link TrialCommit}).
 */
public final class TrialFolder {

    public static final String CONFIG = "config.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String STATUS = "status";
    public static final String LOG = "trial.log";
    public static final String ARTIFACTS = "artifacts";
    public static final String SCRATCH = "scratch";

    private final Path dir;
    private final String id;

    TrialFolder(Path dir) {
        this(dir, dir.getFileName().toString());
    }

    /** A folder of this trial named otherwise: a staged attempt ({@code .staging/<id>/<attempt>/}). */
    TrialFolder(Path dir, String id) {
        this.dir = dir;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    /** The recorded status; empty when the trial never started or its status is unreadable. */
    public Optional<TrialStatus> status() {
        try {
            return Optional.of(TrialStatus.read(file(STATUS)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // absent, or not a status this version wrote
        }
    }

    /** FINISHED and intact: a trial with a damaged file runs again on resume. */
    public boolean isFinished() {
        return read().finished();
    }

    /** Status, config and summary read back, or what is damaged. */
    public StoredTrial read() {
        return StoredTrial.read(this);
    }

    /** config.json, or a {@link StoreDamage} naming what makes it unusable (see {@link TrialConfig#fromJson}). */
    public TrialConfig readConfig() throws IOException {
        return TrialConfig.read(file(CONFIG), id);
    }

    /** summary.json, or a {@link StoreDamage} naming a value that is not a number. */
    public TrialSummary readSummary() throws IOException {
        return TrialSummary.read(file(SUMMARY));
    }

    /**
     * config.json's JSON object as it is on disk (tests that check the file's format read it so);
     * readers use {@link #readConfig}. A file holding {@code null} or another JSON type is a
     * {@link StoreDamage}, never null.
     */
    public Map<String, Object> config() throws IOException {
        return Json.readObject(file(CONFIG));
    }

    /** summary.json's JSON object as it is on disk; readers use {@link #readSummary}. */
    public Map<String, Object> summary() throws IOException {
        return Json.readObject(file(SUMMARY));
    }
}
