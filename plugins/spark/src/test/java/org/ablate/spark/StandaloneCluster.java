package org.ablate.spark;

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
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a Master and one Worker, each its own
 * JVM started from the test's Maven jars (no Spark distribution). The Worker starts executors the
 * way a real one does, from {@code SPARK_HOME/jars}, which here links to the same jars.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> daemons = new ArrayList<>();
    private long startMillis;

    private StandaloneCluster(Path home, int masterPort, int masterUiPort) {
        this.home = home;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /** Starts a Master and a Worker with {@code cores} cores and waits until the Worker is ALIVE. */
    static StandaloneCluster start(Path dir, int cores) throws IOException, InterruptedException {
        return start(dir, cores, 0);
    }

    /**
     * As {@link #start(Path, int)}, the Worker also offering {@code gpus} fake GPUs (addresses 0 ..
     * gpus-1, reported by a discovery script as a real one reports real GPUs).
     */
    static StandaloneCluster start(Path dir, int cores, int gpus) throws IOException, InterruptedException {
        return start(dir, cores, gpus, true);
    }

    /** A Master alone, ALIVE and accepting applications, with no Worker to run their executors. */
    static StandaloneCluster masterOnly(Path dir) throws IOException, InterruptedException {
        return start(dir, 0, 0, false);
    }

    private static StandaloneCluster start(Path dir, int cores, int gpus, boolean worker) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !Files.exists(jars.resolve(jar.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        int[] ports = freePorts(3);
        StandaloneCluster cluster = new StandaloneCluster(dir.resolve("spark-home"), ports[0], ports[1]);
        try {
            cluster.daemon(dir.resolve("master.log"), List.of(), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(ports[0]), "--webui-port", Integer.toString(ports[1]));
            if (!worker) {
                cluster.awaitMaster(dir, "\"status\" : \"ALIVE\"", "\"status\":\"ALIVE\"");
                cluster.startMillis = (System.nanoTime() - t0) / 1_000_000;
                return cluster;
            }
            List<String> workerOptions = new ArrayList<>();
            if (gpus > 0) {
                StringBuilder addresses = new StringBuilder();
                for (int i = 0; i < gpus; i++) {
                    addresses.append(i == 0 ? "" : ", ").append('"').append(i).append('"');
                }
                Path script = dir.resolve("discover-gpus.sh");
                Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [" + addresses + "]}'\n");
                script.toFile().setExecutable(true);
                workerOptions.add("-Dspark.worker.resource.gpu.amount=" + gpus);
                workerOptions.add("-Dspark.worker.resource.gpu.discoveryScript=" + script);
            }
            cluster.daemon(dir.resolve("worker.log"), workerOptions, "org.apache.spark.deploy.worker.Worker", cluster.masterUrl(),
                    "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", "2g",
                    "--webui-port", Integer.toString(ports[2]), "--work-dir", Files.createDirectories(dir.resolve("work")).toString());
            cluster.awaitMaster(dir, "\"aliveworkers\" : 1", "\"aliveworkers\":1");
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        cluster.startMillis = (System.nanoTime() - t0) / 1_000_000;
        return cluster;
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Milliseconds from {@link #start} to a Worker registered with the Master. */
    long startMillis() {
        return startMillis;
    }

    /** The executor JVMs the Worker has started and that are still alive. */
    List<ProcessHandle> executors() {
        return daemons.get(daemons.size() - 1).descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")
                        || commandLine(p).contains("CoarseGrainedExecutorBackend"))
                .toList();
    }

    private void daemon(Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", home.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // SPARK_HOME/jars is the executors' classpath; without the Scala version the Worker looks for a source build
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        daemons.add(pb.start());
    }

    /** Polls the Master's JSON endpoint until it shows one of {@code shown} (or a daemon died, or the timeout). */
    private void awaitMaster(Path dir, String... shown) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Spark daemon exited with " + p.exitValue() + "; logs in " + dir);
                }
            }
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                for (String s : shown) {
                    if (body.contains(s)) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                // the Master's UI is not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Spark Master did not show " + shown[0] + " within " + START_TIMEOUT + "; logs in " + dir);
    }

    /** Stops the Worker (and its executors) then the Master: SIGTERM, SIGKILL after 10 s. */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
        // the links point into ~/.m2: remove them so that the test's temp folder cleanup stays quiet
        try (java.util.stream.Stream<Path> links = Files.list(home.resolve("jars"))) {
            for (Path link : (Iterable<Path>) links::iterator) {
                Files.deleteIfExists(link);
            }
        } catch (IOException ignored) {
            // the temp folder cleanup removes what is left
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }
}
