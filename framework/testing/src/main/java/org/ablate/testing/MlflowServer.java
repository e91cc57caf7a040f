package org.ablate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MLflow tracking server for integration tests. {@link #shared()} is the one .ci/run
 * starts (ABLATE_TEST_MLFLOW_URI); {@link #start} runs a private one (the `mlflow` executable in
 * ABLATE_MLFLOW) for tests that kill, restart or secure their server. Without them the tests
 * skip with the reason, except under CI=true, where they fail.
 */
public final class MlflowServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private final Map<String, String> env;
    private Process process;

    private MlflowServer(Path dir, int port, List<String> extraArgs, Map<String, String> env) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
        this.env = env;
    }

    /** The URI of the server .ci/run started. */
    public static String shared() {
        String uri = System.getenv("ABLATE_TEST_MLFLOW_URI");
        require(uri, "ABLATE_TEST_MLFLOW_URI (the URI of a running MLflow server; .ci/run starts one)");
        return uri;
    }

    /** A private server with its own SQLite store and artifact folder under {@code dir}. */
    public static MlflowServer start(Path dir, String... extraArgs) throws IOException, InterruptedException {
        return start(dir, Map.of(), extraArgs);
    }

    public static MlflowServer start(Path dir, Map<String, String> env, String... extraArgs)
            throws IOException, InterruptedException {
        require(System.getenv("ABLATE_MLFLOW"), "ABLATE_MLFLOW (the path of an `mlflow` executable; .ci/run installs one)");
        MlflowServer server = new MlflowServer(dir, freePort(), List.of(extraArgs), env);
        server.startProcess();
        return server;
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            String reason = SkippedMlflowTestsNotice.SKIP_REASON + what;
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(reason.replace("skipped", "cannot run under CI=true"));
            }
            System.err.println(reason);
            Assumptions.abort(reason);
        }
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts (or restarts, on the same store) the server and waits for /health. */
    public void startProcess() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("artifacts"));
        List<String> command = new ArrayList<>(List.of(System.getenv("ABLATE_MLFLOW"), "server",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1",
                "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
                "--artifacts-destination", dir.resolve("artifacts").toAbsolutePath().toString()));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
        // no background job runner (seven more Python processes): tracking tests never use it
        pb.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
        pb.environment().putAll(env);
        process = pb.start();
        awaitHealth(uri(), Duration.ofSeconds(120), process);
    }

    /** Kills the server outright (SIGKILL on the whole process tree), as a crash would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void awaitHealth(String uri, Duration limit, Process process) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("mlflow server exited with " + process.exitValue() + " before it was healthy");
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("mlflow server at " + uri + " not healthy after " + limit.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
