package org.ablate.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;

/**
 * The real single-node cluster the tests submit to: started by {@code bin/slurm-cluster start DIR}
 * (.ci/run does it), named by ABLATE_TEST_SLURM=DIR, with SLURM_CONF=DIR/slurm.conf for Slurm's
 * client commands. Without it the tests skip with a notice, except under CI=true, where they fail.
 */
final class SlurmCluster {

    static final String SKIP_REASON = "Slurm integration test skipped: set ABLATE_TEST_SLURM and SLURM_CONF";
    private static final AtomicBoolean NOTICE_SHOWN = new AtomicBoolean();

    private final Path dir;

    private SlurmCluster(Path dir) {
        this.dir = dir;
    }

    static SlurmCluster require() {
        String dir = System.getenv("ABLATE_TEST_SLURM");
        String conf = System.getenv("SLURM_CONF");
        if (dir == null || dir.isBlank() || conf == null || !Files.isRegularFile(Path.of(conf))) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(SKIP_REASON.replace("skipped", "cannot run under CI=true")
                        + " (.ci/run starts the cluster with bin/slurm-cluster)");
            }
            if (NOTICE_SHOWN.compareAndSet(false, true)) {
                String rule = "=".repeat(78);
                System.out.println(rule + "\nSlurm test(s) SKIPPED: ABLATE_TEST_SLURM / SLURM_CONF not set. To run them (root):\n"
                        + "  bin/slurm-cluster start /tmp/ablate-slurm    # installs the Debian packages on first use\n"
                        + "  export ABLATE_TEST_SLURM=/tmp/ablate-slurm SLURM_CONF=/tmp/ablate-slurm/slurm.conf\n"
                        + "  mvn -B test -pl plugins/slurm -am; bin/slurm-cluster stop /tmp/ablate-slurm   (README: Running on Slurm)\n"
                        + rule);
            }
            Assumptions.abort(SKIP_REASON);
        }
        return new SlurmCluster(Path.of(dir));
    }

    /** kill -9 of the node's slurmd (its running tasks' slurmstepd live on). */
    void killSlurmd() throws IOException, InterruptedException {
        String pid = Files.readString(dir.resolve("slurmd.pid"), StandardCharsets.UTF_8).strip();
        run("kill", "-9", pid);
    }

    /** Starts slurmd again and waits for the node to be back. */
    void startSlurmd() throws IOException, InterruptedException {
        run(Path.of("../../bin/slurm-cluster").toAbsolutePath().normalize().toString(), "node-start", dir.toString());
    }

    /** The job's tasks squeue still shows active (pending, running, completing). */
    static List<String> activeTasks(String job) throws IOException, InterruptedException {
        return run("squeue", "-h", "-r", "-j", job, "-o", "%i %T").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}
