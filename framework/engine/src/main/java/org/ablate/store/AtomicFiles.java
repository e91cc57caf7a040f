package org.ablate.store;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes whole files atomically: a temporary file in the same folder, forced to disk, then renamed
 * over the target. A reader (or a process killed mid-write) sees the old content or the new, never
 * a truncated file. The file is written with a {@link FileOutputStream}, not a FileChannel: an
 * interrupt of the writing thread closes a channel mid-write, and the end of a cancelled trial is
 * recorded on exactly such a thread. A file system that refuses the write (read-only, full)
 * gives a {@link StoreException} naming the target; the old content stays as it was.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws StoreException the file system refused the write
     * @throws IOException    the writer itself failed
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw StoreException.cannotWrite(target, e);
        }
        try {
            FileOutputStream file = open(tmp);
            try (OutputStream out = new BufferedOutputStream(new StoreStream(file), 1 << 16)) {
                writer.write(out); // the writer's own IOExceptions pass unchanged; the file's are StoreFailures
                out.flush();
                try {
                    file.getFD().sync();
                } catch (IOException e) {
                    throw new StoreException.StoreFailure(e);
                }
            }
            commit(tmp, target);
        } catch (StoreException.StoreFailure e) {
            throw StoreException.cannotWrite(target, e.getCause());
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static FileOutputStream open(Path tmp) throws StoreException.StoreFailure {
        try {
            readableByAll(tmp);
            return new FileOutputStream(tmp.toFile());
        } catch (IOException e) {
            throw new StoreException.StoreFailure(e);
        }
    }

    private static void commit(Path tmp, Path target) throws StoreException.StoreFailure {
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StoreException.StoreFailure(e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // a read-only folder cannot have had the temporary file created in the first place
        }
    }

    /** createTempFile makes owner-only files; results are meant to be shared like any output. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Makes a rename durable; best effort, as not every file system lets a folder be opened. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the rename itself is still atomic
        }
    }

    /** Marks what the file itself refuses, so that it is told apart from a writer's own failure. */
    private static final class StoreStream extends FilterOutputStream {
        StoreStream(OutputStream file) {
            super(file);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new StoreException.StoreFailure(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new StoreException.StoreFailure(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new StoreException.StoreFailure(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new StoreException.StoreFailure(e);
            }
        }
    }

    /** Fills the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }
}
