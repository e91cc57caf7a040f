package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * The calls Ablate makes to an MLflow server: the official Java client for tracking, and plain
 * HTTP for the one thing it cannot do here (artifact upload, which it delegates to the Python
 * CLI): a PUT to the server's artifact proxy. Every failure becomes a {@link TrackingException}
 * whose message names the server and the call, never the credentials.
 */
public final class MlflowConnection implements AutoCloseable {

    /** The client's shaded HttpClient logs every retried connection to stderr (java.util.logging); Ablate reports the outcome. */
    private static final java.util.logging.Logger HTTP_LOG = java.util.logging.Logger.getLogger("org.mlflow_project.apachehttp");

    static {
        HTTP_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Requests run here so they can time out: the official client's HTTP layer has no timeout. */
    private static final java.util.concurrent.ExecutorService REQUESTS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mlflow-request");
        t.setDaemon(true); // a request the server never answers must not keep the JVM alive
        return t;
    });

    /**
     * The experiment tag MLflow's UI (3.x) reads to choose its layout: without it, an experiment
     * opens on the GenAI overview; "custom_model_development" opens it on the training runs table.
     */
    static final String EXPERIMENT_KIND = "mlflow.experimentKind";
    static final String TRAINING_KIND = "custom_model_development";
    /** The tag naming the sign of a metric's infinite value, which MLflow holds as NaN. */
    static final String INFINITE_TAG_PREFIX = "ablate.infinite.";

    private final MlflowSettings settings;
    private final MlflowClient client;
    private final HttpClient http;

    private final Duration timeout;

    public MlflowConnection(MlflowSettings settings) {
        this.settings = settings;
        this.timeout = requestTimeout();
        this.client = new MlflowClient(settings.hostCreds());
        // HTTP/1.1: the default (HTTP/2) asks every plain-http request to upgrade, which MLflow's
        // server logs as a warning per artifact
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public MlflowSettings settings() {
        return settings;
    }

    /**
     * The experiment's id, creating it if needed; safe when another process creates it meanwhile.
     * A deleted experiment (whose name MLflow keeps) is refused: no run can be made in it. One
     * without a kind is marked as holding training runs ({@link #EXPERIMENT_KIND}); a kind set by hand is kept.
     */
    public String experimentId(String name) {
        return call("get or create experiment '" + name + "'", () -> {
            Optional<org.mlflow.api.proto.Service.Experiment> found = client.getExperimentByName(name);
            if (found.isPresent()) {
                if ("deleted".equals(found.get().getLifecycleStage())) {
                    throw new TrackingException(TrackingException.Kind.REJECTED, "MLflow server " + settings.uri()
                            + ": experiment '" + name + "' is deleted; restore it (mlflow experiments restore), or name another "
                            + "with tracking.experiment or MLFLOW_EXPERIMENT_NAME", null);
                }
                if (found.get().getTagsList().stream().noneMatch(t -> t.getKey().equals(EXPERIMENT_KIND))) {
                    try {
                        client.setExperimentTag(found.get().getExperimentId(), EXPERIMENT_KIND, TRAINING_KIND);
                    } catch (MlflowHttpException notAllowed) {
                        // someone else's experiment (this user may log runs, not edit it): only the UI's layout is lost
                    }
                }
                return found.get().getExperimentId();
            }
            String id;
            try {
                id = client.createExperiment(name);
            } catch (MlflowHttpException e) {
                if (e.getStatusCode() == 400 && String.valueOf(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS")) {
                    return client.getExperimentByName(name).orElseThrow(() -> e).getExperimentId();
                }
                throw e;
            }
            client.setExperimentTag(id, EXPERIMENT_KIND, TRAINING_KIND);
            return id;
        });
    }

    public RunInfo createRun(CreateRun request) {
        return call("create run '" + request.getRunName() + "'", () -> client.createRun(request));
    }

    public Optional<Run> getRun(String runId) {
        try {
            return Optional.of(call("get run " + runId, () -> client.getRun(runId)));
        } catch (TrackingException e) {
            if (e.kind() == TrackingException.Kind.REJECTED) {
                return Optional.empty(); // RESOURCE_DOES_NOT_EXIST (deleted, or another server)
            }
            throw e;
        }
    }

    /** The active runs of an experiment carrying every one of the given tags. */
    public List<Run> findRuns(String experimentId, Map<String, String> tags) {
        String filter = tags.entrySet().stream()
                .map(e -> "tags.`" + e.getKey() + "` = '" + e.getValue().replace("'", "\\'") + "'")
                .collect(Collectors.joining(" and "));
        return call("search runs", () -> client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 1000)
                .getItems());
    }

    /**
     * Logs everything, split into requests within the server's limits. ±Infinity is sent as NaN
     * with its sign in a tag {@code ablate.infinite.<key>}: MLflow's SQL store would keep it as
     * ±1.797e308, which the UI shows as a number and which flattens every chart of the metric.
     */
    public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        Map<String, String> infinite = new java.util.LinkedHashMap<>();
        List<Metric> finite = new java.util.ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            if (Double.isInfinite(m.getValue())) {
                infinite.put(INFINITE_TAG_PREFIX + m.getKey(), m.getValue() > 0 ? "+Infinity" : "-Infinity");
                finite.add(m.toBuilder().setValue(Double.NaN).build());
            } else {
                finite.add(m);
            }
        }
        List<RunTag> allTags = new java.util.ArrayList<>(tags);
        infinite.forEach((k, v) -> allTags.add(RunBatches.tag(k, v)));
        for (RunBatches.Batch b : RunBatches.split(finite, params, allTags)) {
            call("log batch to run " + runId, () -> {
                client.logBatch(runId, b.metrics(), b.params(), b.tags());
                return null;
            });
        }
    }

    public void terminate(String runId, RunStatus status, long endMillis) {
        call("end run " + runId, () -> {
            client.setTerminated(runId, status, endMillis);
            return null;
        });
    }

    /**
     * Uploads a file through the server's artifact proxy
     * ({@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>}).
     */
    public void uploadArtifact(String artifactUri, String relativePath, Path file) {
        URI target = artifactEndpoint(artifactUri, relativePath);
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(target).timeout(timeout)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
        } catch (java.io.FileNotFoundException e) {
            throw new TrackingException(TrackingException.Kind.REJECTED, "artifact " + file + " is missing", e);
        }
        send("upload artifact " + relativePath, request, HttpResponse.BodyHandlers.discarding());
    }

    /** Downloads an artifact's bytes through the proxy (tests and checks read back what was sent). */
    public byte[] downloadArtifact(String artifactUri, String relativePath) {
        HttpRequest.Builder request = HttpRequest.newBuilder(artifactEndpoint(artifactUri, relativePath))
                .timeout(timeout).GET();
        return send("download artifact " + relativePath, request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The raw client, for read-back (search, metric history). */
    public MlflowClient client() {
        return client;
    }

    private URI artifactEndpoint(String artifactUri, String relativePath) {
        String prefix = "mlflow-artifacts:";
        if (!artifactUri.startsWith(prefix)) {
            throw new TrackingException(TrackingException.Kind.REJECTED, "MLflow server " + settings.uri()
                    + " does not proxy artifacts (run artifact URI '" + artifactUri
                    + "'); start it with --artifacts-destination (artifact serving on)", null);
        }
        String path = artifactUri.substring(prefix.length());
        if (path.startsWith("//")) { // mlflow-artifacts://host:port/path
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        StringBuilder encoded = new StringBuilder();
        for (String segment : (strip(path) + "/" + strip(relativePath)).split("/")) {
            if (!segment.isEmpty()) {
                encoded.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return URI.create(settings.uri() + "/api/2.0/mlflow-artifacts/artifacts" + encoded);
    }

    private static String strip(String p) {
        return p.replaceAll("^/+|/+$", "");
    }

    private <T> T send(String what, HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        String auth = settings.authorization();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        HttpResponse<T> response;
        try {
            response = http.send(request.build(), handler);
        } catch (IOException e) {
            throw new TrackingException(TrackingException.Kind.UNREACHABLE, message(what, "unreachable (" + e + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException(TrackingException.Kind.UNREACHABLE, message(what, "interrupted"), e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw httpFailure(what, status, "");
        }
        return response.body();
    }

    /**
     * How long one request may take before the server counts as unreachable: the system property
     * {@code ablate.mlflow.timeout} or ABLATE_MLFLOW_TIMEOUT (seconds), default 60.
     */
    static Duration requestTimeout() {
        String v = System.getProperty("ablate.mlflow.timeout", System.getenv("ABLATE_MLFLOW_TIMEOUT"));
        try {
            return v == null || v.isBlank() ? Duration.ofSeconds(60) : Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ABLATE_MLFLOW_TIMEOUT must be a number of seconds, got '" + v + "'");
        }
    }

    private <T> T call(String what, Supplier<T> request) {
        java.util.concurrent.Future<T> answer = REQUESTS.submit(request::get);
        try {
            return answer.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            throw new TrackingException(TrackingException.Kind.UNREACHABLE,
                    message(what, "no answer within " + timeout.toSeconds() + " s"), e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new TrackingException(TrackingException.Kind.UNREACHABLE, message(what, "interrupted"), e);
        } catch (java.util.concurrent.ExecutionException wrapped) {
            Throwable e = wrapped.getCause();
            if (e instanceof MlflowHttpException h) {
                throw httpFailure(what, h.getStatusCode(), h.getBodyMessage());
            }
            if (e instanceof MlflowClientException c) {
                Throwable cause = c.getCause() == null ? c : c.getCause();
                throw new TrackingException(TrackingException.Kind.UNREACHABLE,
                        message(what, "unreachable (" + describe(cause) + ")"), c);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    private TrackingException httpFailure(String what, int status, String body) {
        if (status == 401 || status == 403) {
            return new TrackingException(TrackingException.Kind.UNAUTHORIZED, "MLflow server " + settings.uri()
                    + " refused the credentials (HTTP " + status + ", " + settings.credentialSource()
                    + "): set a valid MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD", null);
        }
        String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
        return new TrackingException(status >= 500 || status == 429 ? TrackingException.Kind.UNREACHABLE
                : TrackingException.Kind.REJECTED, message(what, detail), null);
    }

    private String message(String what, String problem) {
        return "MLflow server " + settings.uri() + ": " + what + ": " + problem;
    }

    private static String describe(Throwable t) {
        if (t instanceof ConnectException || t.getClass().getSimpleName().contains("Connect")) {
            return "connection refused";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + abbreviate(t.getMessage()));
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        client.close();
    }
}
