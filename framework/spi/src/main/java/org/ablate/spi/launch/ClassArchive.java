package org.ablate.spi.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A class-data-sharing archive of the classes a child loads (JDK 13+ dynamic AppCDS), so children
 * after the first map them instead of loading and verifying them again: about a third of a child's
 * start-up CPU here. The archive is keyed by the java binary, its version and the classpath, which is
 * what the JVM checks; the first child of a sweep that finds none writes it at exit (to a private
 * name, renamed into place only after a clean exit, so a killed child leaves no half archive). It
 * lives in a folder private to the user, since the children run the code in it. Shared by the
 * launchers that start {@code run-trial} children: the process launcher, a cluster launcher's tasks
 * (an archive per host, in the user's folder there). One instance per classpath per JVM: it lets one
 * child at a time write the archive.
 */
public final class ClassArchive {

    private final Path file;
    private final AtomicBoolean writing = new AtomicBoolean();

    private ClassArchive(Path file) {
        this.file = file;
    }

    /** The archive for this command's classpath, or null when the JVM cannot archive it (a folder on the classpath). */
    public static ClassArchive forCommand(TrialCommand command) {
        // one folder per user: java.io.tmpdir is shared, and another user's folder is not trusted (below)
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return forCommand(command, Path.of(System.getProperty("java.io.tmpdir"), "ablate-class-archives-" + user));
    }

    /** As {@link #forCommand(TrialCommand)}, the archive kept in {@code dir}. */
    public static ClassArchive forCommand(TrialCommand command, Path dir) {
        for (String entry : command.classpath().split(java.io.File.pathSeparator)) {
            if (new java.io.File(entry).isDirectory()) {
                return null; // CDS takes jars only; a child asked to archive a folder fails at exit
            }
        }
        StringBuilder key = new StringBuilder(command.javaExecutable()).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        // the JVM refuses an archive whose jars changed since (a rebuild): a new key writes a new one
        for (String entry : command.classpath().split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(entry);
            key.append(entry).append(' ').append(f.lastModified()).append(' ').append(f.length()).append('\n');
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return new ClassArchive(dir.resolve(HexFormat.of().formatHex(hash, 0, 8) + ".jsa"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What this child is to do: use the archive, write it (returns the private path to move on success), or neither. */
    public Use next(int trialIndex) {
        if (!privateFolder(file.getParent())) {
            return new Use(List.of(), null); // children then start without it: slower, never someone else's classes
        }
        if (Files.isRegularFile(file) && notWritableByOthers(file)) {
            return new Use(List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto"), null);
        }
        if (writing.compareAndSet(false, true)) {
            Path mine = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + trialIndex + ".tmp");
            return new Use(List.of("-XX:ArchiveClassesAtExit=" + mine), mine);
        }
        return new Use(List.of(), null);
    }

    /** After the child exited: publish the archive it wrote if it exited cleanly, else let the next child try. */
    public void finished(Use use, boolean clean) {
        if (use.written() == null) {
            return;
        }
        try {
            if (clean && Files.isRegularFile(use.written())) {
                Files.move(use.written(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(use.written());
            }
        } catch (IOException ignored) {
            // children simply start without the archive
        } finally {
            writing.set(false);
        }
    }

    /**
     * The folder exists (created now, private) and only this user can change what is in it: an
     * archive is code the children run, so one that another user could have put there is not used.
     */
    private static boolean privateFolder(Path dir) {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below
        } catch (UnsupportedOperationException notPosix) {
            return Files.isDirectory(dir) || created(dir);
        } catch (IOException e) {
            return false;
        }
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            return a.isDirectory() && a.owner().equals(me) && notWritableByOthers(a.permissions());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean created(Path dir) {
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean notWritableByOthers(Path file) {
        try {
            return notWritableByOthers(Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
        } catch (UnsupportedOperationException notPosix) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean notWritableByOthers(Set<PosixFilePermission> permissions) {
        return !permissions.contains(PosixFilePermission.GROUP_WRITE) && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * @param jvmOptions the options for the child (use or write the archive; none)
     * @param written the private file the child writes the archive to, or null
     */
    public record Use(List<String> jvmOptions, Path written) {

        /** Neither use nor write an archive. */
        public static final Use NONE = new Use(List.of(), null);
    }
}
