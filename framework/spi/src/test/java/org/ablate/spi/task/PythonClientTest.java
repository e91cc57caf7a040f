package org.ablate.spi.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the Python client's own unit tests (src/test/python) with the python3 on PATH, so `mvn test` and CI run them. */
class PythonClientTest {

    @Test
    void thePythonClientsUnitTestsPass() throws Exception {
        Path module = Path.of("src/main/python").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", "src/test/python")
                .redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", module.toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK"), out);
    }
}
