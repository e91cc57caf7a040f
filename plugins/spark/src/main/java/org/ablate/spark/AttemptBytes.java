package org.ablate.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * One staged attempt's folder as bytes (a zip), for a task to return to the driver when the
 * executors do not share the results folder ({@code launcher.results=returned}). Packed with the
 * status file last, bounded in size; unpacked under a hidden name and renamed into place, so the
 * engine sees either no attempt or the whole of it.
 */
final class AttemptBytes {

    /** The trial's end record, written last by the trial and so packed and unpacked last (engine's TrialFolder.STATUS). */
    static final String STATUS = "status";

    /** An attempt's folder that does not fit in the bytes a task may return. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private AttemptBytes() {
    }

    /**
     * The folder's regular files and folders (symbolic links are not followed: a trial's records are
     * files), modification times kept.
     *
     * @throws TooLarge when the packed bytes would exceed {@code limit}
     */
    static byte[] pack(Path dir, long limit) throws IOException {
        List<Path> entries;
        try (Stream<Path> all = Files.walk(dir)) {
            entries = new ArrayList<>(all.filter(p -> !p.equals(dir))
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing((Path p) -> p.equals(dir.resolve(STATUS))).thenComparing(Comparator.naturalOrder()))
                    .toList());
        }
        Bounded bytes = new Bounded(limit);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.BEST_SPEED); // metrics.jsonl shrinks several times even so
            for (Path p : entries) {
                boolean folder = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                ZipEntry entry = new ZipEntry(dir.relativize(p).toString().replace('\\', '/') + (folder ? "/" : ""));
                entry.setLastModifiedTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
                zip.putNextEntry(entry);
                if (!folder) {
                    Files.copy(p, zip);
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Unpacks into {@code target} (which must not exist) through a hidden sibling renamed into place
     * at the end; nothing is left behind on failure. Entries that would land outside it are refused.
     */
    static void unpack(byte[] packed, Path target) throws IOException {
        Path parent = Files.createDirectories(target.toAbsolutePath().getParent());
        // a leading '.' is not an attempt token: the engine does not take the half-unpacked folder for an attempt
        Path part = Files.createTempDirectory(parent, "." + target.getFileName() + ".returned-");
        try {
            List<Path> folders = new ArrayList<>();
            List<FileTime> times = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(packed))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    Path to = part.resolve(entry.getName()).normalize();
                    if (!to.startsWith(part) || to.equals(part)) {
                        throw new IOException("the returned folder holds an entry outside it: '" + entry.getName() + "'");
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(to);
                        folders.add(to);
                        times.add(entry.getLastModifiedTime());
                        continue;
                    }
                    Files.createDirectories(to.getParent());
                    Files.copy(zip, to);
                    if (entry.getLastModifiedTime() != null) {
                        Files.setLastModifiedTime(to, entry.getLastModifiedTime());
                    }
                }
            }
            // folders' times last: writing their files changed them
            for (int i = folders.size() - 1; i >= 0; i--) {
                if (times.get(i) != null) {
                    Files.setLastModifiedTime(folders.get(i), times.get(i));
                }
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null, "an attempt of this name is already staged");
            }
            // a temporary folder is private (rwx------): the committed trial gets its parent's permissions,
            // as a folder the child wrote in shared mode would
            try {
                Files.setPosixFilePermissions(part, Files.getPosixFilePermissions(parent));
            } catch (UnsupportedOperationException notPosix) {
                // keep what the file system gave
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(part);
            throw e;
        }
    }

    /**
     * Keeps bytes that could not be unpacked as {@code <folder>/<name>.zip} (temporary file, then
     * rename), so a result that exists nowhere else (its executor's folder is gone) is not lost with
     * the failed unpack. Returns the file, or null where even that could not be written.
     */
    static Path keep(byte[] packed, Path folder, String name) {
        Path part = null;
        try {
            Files.createDirectories(folder);
            Path target = folder.resolve(name + ".zip");
            for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
                target = folder.resolve(name + "." + n + ".zip");
            }
            part = Files.createTempFile(folder, "." + name + ".", ".part");
            try (var out = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(packed));
                out.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException | RuntimeException e) {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // nothing more to do: the caller reports that nothing was kept
                }
            }
            return null;
        }
    }

    /** Removes a folder and what is in it, as far as it can (symbolic links themselves, never what they name). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temporary folder left behind: the system's tmp cleaner takes it
        }
    }

    /** A byte buffer that refuses to grow past its limit. */
    private static final class Bounded extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long limit;

        Bounded(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            room(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            room(len);
            bytes.write(b, off, len);
        }

        private void room(int more) throws TooLarge {
            if ((long) bytes.size() + more > limit) {
                throw new TooLarge("more than " + limit + " bytes packed");
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
