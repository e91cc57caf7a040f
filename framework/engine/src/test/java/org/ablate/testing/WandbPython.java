package org.ablate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python with wandb that the W&B tests run (bin/wandb-tools install makes it; .ci/run passes
 * it as ABLATE_WANDB_PYTHON). Without it the tests skip, saying so on stderr, except under CI=true,
 * where they fail.
 */
public final class WandbPython {

    static final String SKIP_REASON = "W&B test skipped: set ABLATE_WANDB_PYTHON (the python that `bin/wandb-tools install` prints)";

    private WandbPython() {
    }

    /** ABLATE_WANDB_PYTHON, else the cached environment bin/wandb-tools installs, if it is there. */
    public static Path python() {
        String given = System.getenv("ABLATE_WANDB_PYTHON");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        String cache = System.getenv("ABLATE_CACHE");
        Path root = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "ablate");
        Path cached = root.resolve("wandb-0.18.7/bin/python");
        if (Files.isExecutable(cached)) {
            return cached;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(SKIP_REASON.replace("skipped", "cannot run under CI=true"));
        }
        System.err.println(SKIP_REASON);
        Assumptions.abort(SKIP_REASON);
        return null;
    }

    /** The repository root, where bin/ is (tests run in framework/engine). */
    public static Path repository() {
        return Path.of("").toAbsolutePath().getParent().getParent();
    }

    /** Runs a Python unittest file of src/test/python with these variables; returns exit code and output. */
    public static Result unittest(String file, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python().toString(), "-m", "unittest", "-v",
                Path.of("src/test/python").resolve(file).toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("WANDB_SILENT", "true");
        pb.environment().put("ABLATE_REPOSITORY", repository().toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public record Result(int code, String out) {

        /** Exit 0 after exactly {@code tests} tests (unittest also exits 0 when it finds none). */
        public void assertPassed(int tests) {
            org.junit.jupiter.api.Assertions.assertEquals(0, code, out);
            org.junit.jupiter.api.Assertions.assertTrue(out.contains("Ran " + tests + " tests") && out.strip().endsWith("OK"), out);
        }
    }
}
