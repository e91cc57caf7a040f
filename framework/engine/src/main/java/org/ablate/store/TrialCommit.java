package org.ablate.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ablate.spi.launch.LiveAttempts;

/**
 * Commits staged attempts of trials ({@code .staging/<id>/<attempt>/}, written by {@code run-trial
 * --attempt}) into the experiment's trial folders, exactly once: the attempt is moved into
 * {@code <id>/} by one rename, which is refused when that folder holds a FINISHED trial (the
 * attempt is archived instead); a folder left by an earlier unfinished run is archived first, as
 * resume does, and every other staged attempt of the trial goes to {@code .attempts/}. Only the
 * holder of the experiment's lock commits; commits within this JVM are serialised per experiment,
 * so two attempts that end at once cannot both pass the check.
 */
public final class TrialCommit {

    /** Per experiment folder: the lock file excludes other processes, this the other threads. */
    private static final Map<Path, Object> GUARDS = new ConcurrentHashMap<>();

    private final ExperimentFolder experiment;
    private final Object guard;

    public TrialCommit(ExperimentFolder experiment) {
        this.experiment = experiment;
        this.guard = GUARDS.computeIfAbsent(experiment.dir().toAbsolutePath().normalize(), d -> new Object());
    }

    /**
     * What a commit did.
     *
     * @param trial the trial's committed folder ({@code <id>/}), whoever committed it
     * @param committed true when this attempt is now the trial's; false when the trial was already
     *                  committed FINISHED and this attempt was archived instead
     */
    public record Result(TrialFolder trial, boolean committed) {
    }

    /**
     * Commits one staged attempt (it should have ended: status written last). A trial already
     * FINISHED in its folder keeps it and this attempt goes to {@code .attempts/}.
     *
     * @throws NoSuchFileException when the attempt is not staged (never was, or already moved) and
     *                             the trial is not committed FINISHED
     */
    public Result commit(String id, String attempt) throws IOException {
        return commit(id, attempt, LiveAttempts.NONE);
    }

    /** As {@link #commit(String, String)}, leaving staged the trial's other attempts that may still be written. */
    private Result commit(String id, String attempt, LiveAttempts live) throws IOException {
        synchronized (guard) {
            TrialFolder target = experiment.trial(id);
            TrialFolder staged = experiment.staged(id, attempt);
            if (target.isFinished()) {
                if (staged.exists()) {
                    archive(staged);
                }
                return new Result(target, false);
            }
            if (!staged.exists()) {
                throw new NoSuchFileException(staged.dir().toString(), null, "no such staged attempt");
            }
            experiment.archiveAttempt(target);
            try {
                // an atomic rename: never a copy; onto a folder that exists (not empty) it fails
                if (Files.exists(target.dir(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new java.nio.file.FileAlreadyExistsException(target.dir().toString());
                }
                Files.move(staged.dir(), target.dir(), StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | java.nio.file.FileAlreadyExistsException e) {
                throw new IllegalStateException("trial " + id + ": " + target.dir() + " appeared during its commit", e);
            } catch (FileSystemException e) {
                throw StoreException.cannotWrite(target.dir(), e);
            }
            for (TrialFolder other : experiment.stagedAttempts(id)) {
                if (!live.isLive(token(other))) {
                    archive(other);
                }
            }
            removeStagingIfEmpty(id);
            return new Result(experiment.trial(id), true);
        }
    }

    /**
     * The staged attempt to commit once a launcher has seen the trial end: a FINISHED one if any,
     * else the one whose end was written first; empty while none has recorded an end.
     */
    public Optional<String> firstEnded(String id) throws IOException {
        List<TrialFolder> ended = new ArrayList<>();
        for (TrialFolder a : experiment.stagedAttempts(id)) {
            Optional<TrialStatus> s = a.status();
            if (s.isPresent() && s.get().state() != TrialState.RUNNING) {
                ended.add(a);
            }
        }
        return ended.stream()
                .min(Comparator.comparing((TrialFolder a) -> !a.isFinished()).thenComparing(TrialCommit::endedAt))
                .map(a -> a.dir().getFileName().toString());
    }

    /** Moves one staged attempt to {@code .attempts/} without committing it (a duplicate, a lost one). */
    public void discard(String id, String attempt) throws IOException {
        synchronized (guard) {
            TrialFolder staged = experiment.staged(id, attempt);
            if (staged.exists()) {
                archive(staged);
            }
        }
    }

    /**
     * What {@link #recover} did.
     *
     * @param committed  the trials whose FINISHED leftover attempt it committed
     * @param stillLive  the trials it left staged because an attempt of theirs may still be written
     *                   (a detached submission's task, queued or running)
     */
    public record Recovery(List<String> committed, List<String> stillLive) {
    }

    /**
     * Tidies what a driver that died left under {@code .staging/} (the caller holds the lock, so no
     * attempt is followed by another sweep): a trial with a live attempt keeps its live attempts
     * staged for the sweep that attaches to their tasks, and its dead ones are archived; otherwise a
     * FINISHED attempt of a trial that is not committed FINISHED is committed (its work is complete
     * and intact), and every other attempt is archived.
     *
     * @param live the attempts a scheduler may still write ({@link LiveAttempts#NONE}: none; then
     *             {@code .staging/} itself goes once empty, since no task can be creating a folder in it)
     */
    public Recovery recover(LiveAttempts live) throws IOException {
        List<String> committed = new ArrayList<>();
        List<String> stillLive = new ArrayList<>();
        synchronized (guard) {
            for (String id : experiment.stagedTrials()) {
                deleteUnfinishedUnpacks(id);
                List<TrialFolder> attempts = experiment.stagedAttempts(id);
                if (attempts.stream().anyMatch(a -> live.isLive(token(a)))) {
                    // a dead attempt that FINISHED is committed all the same (the live one, if it ends too,
                    // then finds the trial committed and is archived); the other dead ones are archived
                    Optional<TrialFolder> finished = attempts.stream()
                            .filter(a -> !live.isLive(token(a)) && a.isFinished()).findFirst();
                    if (finished.isPresent() && !experiment.trial(id).isFinished()) {
                        commit(id, token(finished.get()), live);
                        committed.add(id);
                    }
                    for (TrialFolder a : experiment.stagedAttempts(id)) {
                        if (!live.isLive(token(a))) {
                            archive(a);
                        }
                    }
                    stillLive.add(id);
                    continue;
                }
                Optional<TrialFolder> finished = attempts.stream().filter(TrialFolder::isFinished).findFirst();
                if (finished.isPresent() && !experiment.trial(id).isFinished()) {
                    commit(id, token(finished.get()));
                    committed.add(id);
                }
                for (TrialFolder left : experiment.stagedAttempts(id)) {
                    archive(left);
                }
                removeStagingIfEmpty(id);
            }
            if (live == LiveAttempts.NONE) {
                removeIfEmpty(experiment.dir().resolve(ExperimentFolder.STAGING));
            }
        }
        return new Recovery(committed, stillLive);
    }

    /**
     * A hidden entry of {@code .staging/<id>/} is an attempt's folder being unpacked under a temporary
     * name (a launcher that returns its attempts' bytes) when a driver died: never an attempt, never
     * committed, so it goes. The caller holds the lock, so no unpack is running.
     */
    private void deleteUnfinishedUnpacks(String id) throws IOException {
        Path dir = experiment.dir().resolve(ExperimentFolder.STAGING).resolve(id);
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> hidden;
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            hidden = entries.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
        for (Path leftover : hidden) {
            try (java.util.stream.Stream<Path> tree = Files.walk(leftover)) {
                for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String token(TrialFolder staged) {
        return staged.dir().getFileName().toString();
    }

    private void archive(TrialFolder staged) throws IOException {
        experiment.archiveAttempt(staged);
        removeStagingIfEmpty(staged.id());
    }

    /**
     * {@code .staging/<id>/} goes once nothing of the trial is staged; {@code .staging/} stays, since
     * another trial's attempt may be creating its folder in it right now.
     */
    private void removeStagingIfEmpty(String id) {
        removeIfEmpty(experiment.dir().resolve(ExperimentFolder.STAGING).resolve(id));
    }

    private static FileTime endedAt(TrialFolder attempt) {
        try {
            return Files.getLastModifiedTime(attempt.file(TrialFolder.STATUS));
        } catch (IOException gone) {
            return FileTime.fromMillis(Long.MAX_VALUE);
        }
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException stillUsed) {
            // another attempt of the trial is staged there
        } catch (IOException ignored) {
            // an empty folder left behind is harmless: readers skip .staging/
        }
    }
}
