package org.ablate.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM with a grandchild: its environment, its output's tail, and killing the whole tree. */
class TrialProcessTest {

    @TempDir
    Path tmp;

    @Test
    void killTreeEndsTheChildAndWhatItStartedAndKeepsItsOutput() throws Exception {
        Path pids = tmp.resolve("pids");
        TrialCommand command = new TrialCommand(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(), System.getProperty("java.class.path"), SpawnAndHang.class.getName(), List.of(pids.toString()),
                Map.of("TRIAL_VAR", "given"));
        TrialProcess child = TrialProcess.start(command, 5, "test-output");
        for (int i = 0; i < 600 && !Files.exists(pids); i++) {
            Thread.sleep(50);
        }
        String[] ids = Files.readString(pids).split(" ");
        ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(ids[1])).orElseThrow();
        assertEquals(Long.parseLong(ids[0]), child.pid());
        assertFalse(child.waitFor(100, TimeUnit.MILLISECONDS), "the child hangs until killed");

        child.killTree();

        assertTrue(child.waitFor(5, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue());
        for (int i = 0; i < 100 && grandchild.isAlive(); i++) {
            Thread.sleep(50);
        }
        assertFalse(grandchild.isAlive(), "the grandchild outlived the kill");
        assertTrue(child.output().contains("spawned " + ids[1] + "; TRIAL_VAR=given"), child.output());
    }

    @Test
    void anExitCodeIsDescribedWithTheSignalBehindIt() {
        assertEquals("the trial's process exited with code 137 (killed: SIGKILL, e.g. kill -9 or the out-of-memory killer)",
                TrialProcess.exitReason(137));
        assertEquals("the trial's process exited with code 3", TrialProcess.exitReason(3));
    }
}
