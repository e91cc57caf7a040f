package org.ablate.spi.launch;

import java.nio.file.Files;
import java.nio.file.Path;

/** A child for {@link TrialProcessTest}: starts a grandchild, writes both pids, prints a line, then hangs. */
public final class SpawnAndHang {

    private SpawnAndHang() {
    }

    public static void main(String[] args) throws Exception {
        Process grandchild = new ProcessBuilder("sleep", "600").start();
        Files.writeString(Path.of(args[0] + ".tmp"), ProcessHandle.current().pid() + " " + grandchild.pid());
        Files.move(Path.of(args[0] + ".tmp"), Path.of(args[0]));
        System.out.println("spawned " + grandchild.pid() + "; TRIAL_VAR=" + System.getenv("TRIAL_VAR"));
        Thread.sleep(600_000);
    }
}
