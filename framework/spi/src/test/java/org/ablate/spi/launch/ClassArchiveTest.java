package org.ablate.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class archive is code the children map and run: one from a folder that others can write
 * (java.io.tmpdir is shared by every user of the machine) is never used.
 */
class ClassArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void anArchiveInAFolderOthersCanWriteIsNotUsed() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "not really a jar");
        TrialCommand command = new TrialCommand("/usr/bin/java", List.of(), jar.toString(), "Main", List.of(), Map.of());
        Path dir = tmp.resolve("archives");
        ClassArchive archive = ClassArchive.forCommand(command, dir);
        assertNotNull(archive);

        ClassArchive.Use first = archive.next(0);
        assertNotNull(first.written(), "the first child writes the archive");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                "the folder is created private to this user");
        Files.writeString(first.written(), "archive");
        archive.finished(first, true);
        assertTrue(archive.next(1).jvmOptions().stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile=")),
                "a private archive is used");

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(List.of(), archive.next(2).jvmOptions(), "an archive that anyone could have replaced is not used");
        assertEquals(null, archive.next(3).written(), "nor written there");
    }
}
