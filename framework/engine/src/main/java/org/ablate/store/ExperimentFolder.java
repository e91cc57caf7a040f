package org.ablate.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The results folder of one experiment: a folder per trial, the latest sweep plan
 * ({@code sweep.json}), the sweep log, earlier attempts of re-run trials under {@code .attempts/}, and
 * attempts that run elsewhere under {@code .staging/<id>/<attempt>/} until they are committed
 * ({@link TrialCommit}). Readers ({@link #trials()}: status, reports, sync, resume) see only
 * committed trials.
 */
public final class ExperimentFolder {

    public static final String SWEEP = "sweep.json";
    public static final String SWEEP_LOG = "sweep.log";
    public static final String ATTEMPTS = org.ablate.spi.launch.TrialCommand.ATTEMPTS;
    public static final String STAGING = org.ablate.spi.launch.TrialCommand.STAGING;
    private static final String LOCK = ".lock";

    private final Path dir;

    ExperimentFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return dir.getFileName().toString();
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    public TrialFolder trial(String id) {
        return new TrialFolder(dir.resolve(id));
    }

    /**
     * The folder one attempt at a trial writes instead of the trial's own ({@code run-trial --attempt}):
     * {@code .staging/<id>/<attempt>/}. The attempt token must pass {@link #isAttemptToken}.
     */
    public TrialFolder staged(String id, String attempt) {
        if (!isAttemptToken(attempt)) {
            throw new IllegalArgumentException("not an attempt token: '" + attempt + "'");
        }
        return new TrialFolder(dir.resolve(STAGING).resolve(id).resolve(attempt), id);
    }

    /** The attempts of a trial now staged, by token. */
    public List<TrialFolder> stagedAttempts(String id) throws IOException {
        Path trialStaging = dir.resolve(STAGING).resolve(id);
        if (!Files.isDirectory(trialStaging)) {
            return List.of();
        }
        List<Path> attempts;
        try (Stream<Path> children = Files.list(trialStaging)) {
            attempts = children.filter(Files::isDirectory).filter(p -> isAttemptToken(p.getFileName().toString()))
                    .sorted().toList();
        }
        return attempts.stream().map(p -> new TrialFolder(p, id)).toList();
    }

    /** The ids of the trials with attempts under {@code .staging/}, sorted. */
    public List<String> stagedTrials() throws IOException {
        Path staging = dir.resolve(STAGING);
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(staging)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(ExperimentFolder::isTrialId).sorted().toList();
        }
    }

    private static final java.util.regex.Pattern ATTEMPT_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * True for an attempt token a launcher may choose: 1 to 64 of letters, digits, '.', '_', '-', not
     * starting with one of the last three (e.g. Spark's {@code 3.0.1}, Slurm's {@code 812_4.0}).
     */
    public static boolean isAttemptToken(String token) {
        return token != null && ATTEMPT_TOKEN.matcher(token).matches();
    }

    /** What a trial's folder is named (TrialIdentity): other folders are not trials, whatever they hold. */
    private static final java.util.regex.Pattern TRIAL_ID = java.util.regex.Pattern.compile("[0-9a-f]{12}");

    /** True for a name a trial folder can have: anything else (say "../x" in a hand-edited sweep.json) is not a trial. */
    public static boolean isTrialId(String name) {
        return TRIAL_ID.matcher(name).matches();
    }

    /** Every trial folder (named like a trial id, holding a config.json or a status), sorted by id. */
    public List<TrialFolder> trials() throws IOException {
        if (!exists()) {
            return List.of();
        }
        List<TrialFolder> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory)
                    .filter(p -> TRIAL_ID.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.exists(p.resolve(TrialFolder.STATUS)) || Files.exists(p.resolve(TrialFolder.CONFIG)))
                    .sorted()
                    .forEach(p -> out.add(new TrialFolder(p)));
        }
        return out;
    }

    /**
     * Moves an unfinished earlier attempt of a trial aside (never deletes it), so the new attempt
     * starts from an empty folder and a half-written metrics file is not appended to. A staged
     * attempt goes to the same place ({@code .attempts/<id>.<n>}).
     */
    public void archiveAttempt(TrialFolder trial) throws IOException {
        if (!trial.exists() && !Files.isRegularFile(trial.dir(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path attempts = dir.resolve(ATTEMPTS);
        try {
            Files.createDirectories(attempts);
            for (int n = 1; ; n++) {
                Path target = attempts.resolve(trial.id() + "." + n);
                if (!Files.exists(target)) {
                    Files.move(trial.dir(), target);
                    return;
                }
            }
        } catch (java.nio.file.FileSystemException e) {
            throw StoreException.cannotWrite(attempts, e);
        }
    }

    /**
     * Takes the experiment's lock for the life of a sweep. The OS releases it if the process dies,
     * so a killed run never blocks the next one; a live one does, with a clear message.
     */
    public Lock lock() throws IOException {
        Path file = dir.resolve(LOCK);
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            // the first write of every run: a read-only or non-folder results path shows here
            throw StoreException.cannotWrite(file, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new ExperimentLockedException("experiment '" + name() + "' is being run by another process ("
                    + (holder.isEmpty() ? "unknown" : holder) + "); wait for it or use another --results-dir");
        }
        try {
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw StoreException.cannotWrite(file, e);
        }
        return new Lock(channel, lock);
    }

    /** Held while a sweep runs. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
