package org.ablate.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A staged attempt's folder packed on an executor and unpacked on the driver (no Spark needed). */
class AttemptBytesTest {

    @TempDir
    Path tmp;

    @Test
    void aFolderComesBackWholeWithItsTimesAndTheStatusPackedLast() throws IOException {
        Path attempt = Files.createDirectories(tmp.resolve("exec/0.0.0"));
        Files.writeString(attempt.resolve("config.json"), "{\"seed\": 3}");
        byte[] metrics = new byte[300_000];
        new Random(1).nextBytes(metrics);
        Files.write(attempt.resolve("metrics.jsonl"), metrics);
        Files.createDirectories(attempt.resolve("scratch/empty"));
        Files.writeString(attempt.resolve("scratch/a.txt"), "a");
        Files.writeString(attempt.resolve(AttemptBytes.STATUS), "{\"state\": \"FINISHED\"}");
        FileTime when = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(attempt.resolve(AttemptBytes.STATUS), when);

        byte[] packed = AttemptBytes.pack(attempt, 10_000_000);
        List<String> order = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(packed))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                order.add(e.getName());
            }
        }
        assertEquals(AttemptBytes.STATUS, order.get(order.size() - 1), order.toString());

        Path target = tmp.resolve("driver/.staging/0123456789ab/0.0.0");
        AttemptBytes.unpack(packed, target);
        assertArrayEquals(metrics, Files.readAllBytes(target.resolve("metrics.jsonl")));
        assertEquals("{\"seed\": 3}", Files.readString(target.resolve("config.json")));
        assertEquals("a", Files.readString(target.resolve("scratch/a.txt")));
        assertTrue(Files.isDirectory(target.resolve("scratch/empty")));
        assertEquals(when.toMillis() / 1000, Files.getLastModifiedTime(target.resolve(AttemptBytes.STATUS)).toMillis() / 1000);
        assertEquals(List.of(target), list(target.getParent()), "only the attempt, no half-unpacked folder beside it");
    }

    @Test
    void aFolderLargerThanTheLimitOncePackedIsRefused() throws IOException {
        Path attempt = Files.createDirectories(tmp.resolve("0.0.0"));
        byte[] noise = new byte[200_000];
        new Random(2).nextBytes(noise); // does not compress
        Files.write(attempt.resolve("metrics.jsonl"), noise);
        AttemptBytes.TooLarge e = assertThrows(AttemptBytes.TooLarge.class, () -> AttemptBytes.pack(attempt, 100_000));
        assertEquals("more than 100000 bytes packed", e.getMessage());
    }

    @Test
    void anAttemptAlreadyStagedUnderThatNameOrAnEntryOutsideTheFolderIsRefusedAndNothingIsLeft() throws IOException {
        Path attempt = Files.createDirectories(tmp.resolve("exec/0.0.1"));
        Files.writeString(attempt.resolve(AttemptBytes.STATUS), "new");
        byte[] packed = AttemptBytes.pack(attempt, 1_000_000);
        Path target = Files.createDirectories(tmp.resolve("driver/.staging/0123456789ab/0.0.1"));
        Files.writeString(target.resolve(AttemptBytes.STATUS), "old");
        assertThrows(FileAlreadyExistsException.class, () -> AttemptBytes.unpack(packed, target));
        assertEquals("old", Files.readString(target.resolve(AttemptBytes.STATUS)));
        assertEquals(List.of(target), list(target.getParent()));

        ByteArrayOutputStream evil = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(evil)) {
            zip.putNextEntry(new ZipEntry("../../escaped"));
            zip.write("x".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Path other = tmp.resolve("driver/.staging/0123456789ab/0.0.2");
        IOException refused = assertThrows(IOException.class, () -> AttemptBytes.unpack(evil.toByteArray(), other));
        assertTrue(refused.getMessage().contains("outside"), refused.getMessage());
        assertEquals(List.of(target), list(target.getParent()));
        assertEquals(List.of(target.getParent()), list(tmp.resolve("driver/.staging")));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void bytesThatCannotBeUnpackedAreKeptAsAZip() throws IOException {
        Path attempt = Files.createDirectories(tmp.resolve("exec/0.0.1"));
        Files.writeString(attempt.resolve("summary.json"), "{\"u\": 0.5}");
        Files.writeString(attempt.resolve(AttemptBytes.STATUS), "FINISHED\n");
        byte[] packed = AttemptBytes.pack(attempt, 10_000_000);
        Path target = Files.createDirectories(tmp.resolve("driver/.staging/0123456789ab/0.0.1"));
        assertThrows(FileAlreadyExistsException.class, () -> AttemptBytes.unpack(packed, target));

        Path attempts = tmp.resolve("driver/.attempts");
        Path kept = AttemptBytes.keep(packed, attempts, "0123456789ab.0.0.1.returned");
        assertEquals(attempts.resolve("0123456789ab.0.0.1.returned.zip"), kept);
        assertArrayEquals(packed, Files.readAllBytes(kept));
        // a second failure of the same attempt name does not overwrite the first
        assertEquals(attempts.resolve("0123456789ab.0.0.1.returned.2.zip"), AttemptBytes.keep(packed, attempts, "0123456789ab.0.0.1.returned"));
        try (Stream<Path> left = Files.list(attempts)) {
            assertEquals(2, left.count(), "no temporary file is left beside them");
        }
        Path restored = tmp.resolve("restored/0.0.1");
        AttemptBytes.unpack(Files.readAllBytes(kept), restored);
        assertEquals("{\"u\": 0.5}", Files.readString(restored.resolve("summary.json")));

        // where even that cannot be written (the folder is a file), null, and nothing is left
        Path blocked = Files.writeString(tmp.resolve("blocked"), "");
        assertEquals(null, AttemptBytes.keep(packed, blocked, "x"));
    }
}
