package org.ablate.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ablate.spi.launch.TrialCommand;

/**
 * A class-data-sharing archive of the classes a child loads (JDK 13+ dynamic AppCDS), so children
 * after the first map them instead of loading and verifying them again: about a third of a child's
 * start-up CPU here. The archive is keyed by the java binary, its version and the classpath, which is
 * what the JVM checks; the first child of a sweep that finds none writes it at exit (to a private
 * name, renamed into place only after a clean exit, so a killed child leaves no half archive).
 */
final class ClassArchive {

    private final Path file;
    private final AtomicBoolean writing = new AtomicBoolean();

    private ClassArchive(Path file) {
        this.file = file;
    }

    /** The archive for this command's classpath, or null when the JVM cannot archive it (a folder on the classpath). */
    static ClassArchive forCommand(TrialCommand command) {
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
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ablate-class-archives");
            return new ClassArchive(dir.resolve(HexFormat.of().formatHex(hash, 0, 8) + ".jsa"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What this child is to do: use the archive, write it (returns the private path to move on success), or neither. */
    Use next(int trialIndex) {
        if (Files.isRegularFile(file)) {
            return new Use(List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto"), null);
        }
        if (writing.compareAndSet(false, true)) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                return new Use(List.of(), null);
            }
            Path mine = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + trialIndex + ".tmp");
            return new Use(List.of("-XX:ArchiveClassesAtExit=" + mine), mine);
        }
        return new Use(List.of(), null);
    }

    /** After the child exited: publish the archive it wrote if it exited cleanly, else let the next child try. */
    void finished(Use use, boolean clean) {
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

    record Use(List<String> jvmOptions, Path written) {
    }
}
