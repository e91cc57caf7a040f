package org.ablate.tracking.mlflow;

import java.util.Map;
import java.util.Optional;
import org.ablate.config.ConfigException;
import org.ablate.experiment.TrackingSettings;
import org.ablate.tracking.TrackingUri;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * Where and as whom to track: the server URI, the MLflow experiment name and the credentials.
 * The URI comes from {@code --tracking-uri}, else the experiment file, else MLFLOW_TRACKING_URI;
 * the experiment name from the file, else MLFLOW_EXPERIMENT_NAME, else the Ablate experiment's
 * name. Credentials: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME/PASSWORD (basic).
 * {@link #toString()} never shows a secret.
 */
public final class MlflowSettings {

    private final String uri;
    private final String experimentName;
    private final String token;
    private final String username;
    private final String password;
    /** Where the credentials came from when not the environment (for messages), or null. */
    private final String credentialOrigin;

    MlflowSettings(String uri, String experimentName, String token, String username, String password) {
        this(uri, experimentName, token, username, password, null);
    }

    private MlflowSettings(String uri, String experimentName, String token, String username, String password,
                           String credentialOrigin) {
        this.uri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        this.experimentName = experimentName;
        this.token = token;
        this.username = username;
        this.password = password;
        this.credentialOrigin = credentialOrigin;
    }

    /**
     * The settings in force, or empty when no tracking URI is configured anywhere.
     *
     * @throws ConfigException for a URI that is not http(s), naming the option, key or variable it came from
     */
    public static Optional<MlflowSettings> resolve(String commandLineUri, TrackingSettings file, String ablateExperiment,
                                                   Map<String, String> env) {
        String uri = firstNonBlank(commandLineUri, file.uri(), env.get("MLFLOW_TRACKING_URI"));
        if (uri == null) {
            return Optional.empty();
        }
        Optional<String> problem = TrackingUri.problem(uri);
        if (problem.isPresent()) {
            // named by where it came from, so that the user knows what to change
            String source = firstNonBlank(commandLineUri) != null ? "--tracking-uri"
                    : firstNonBlank(file.uri()) != null ? "tracking.uri" : "MLFLOW_TRACKING_URI";
            throw new ConfigException(source, problem.get());
        }
        // credentials in the URI are used by this process only: the address is all that is printed or stored
        TrackingUri parsed = TrackingUri.parse(uri);
        String name = firstNonBlank(file.experiment(), env.get("MLFLOW_EXPERIMENT_NAME"), ablateExperiment);
        if (parsed.hasCredentials()) {
            return Optional.of(new MlflowSettings(parsed.address(), name, null, parsed.username(), parsed.password(),
                    "the tracking URI's user-info"));
        }
        return Optional.of(new MlflowSettings(parsed.address(), name, blankToNull(env.get("MLFLOW_TRACKING_TOKEN")),
                blankToNull(env.get("MLFLOW_TRACKING_USERNAME")), blankToNull(env.get("MLFLOW_TRACKING_PASSWORD"))));
    }

    public String uri() {
        return uri;
    }

    public String experimentName() {
        return experimentName;
    }

    /** The value of an Authorization header, or null without credentials. */
    String authorization() {
        if (token != null) {
            return "Bearer " + token;
        }
        if (username != null) {
            String pair = username + ":" + (password == null ? "" : password);
            return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Which credentials are used, for messages: never their values. */
    String credentialSource() {
        if (credentialOrigin != null) {
            return credentialOrigin;
        }
        if (token != null) {
            return "MLFLOW_TRACKING_TOKEN";
        }
        if (username != null) {
            return "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD";
        }
        return "no credentials";
    }

    BasicMlflowHostCreds hostCreds() {
        if (token != null) {
            return new BasicMlflowHostCreds(uri, token);
        }
        if (username != null) {
            return new BasicMlflowHostCreds(uri, username, password == null ? "" : password);
        }
        return new BasicMlflowHostCreds(uri);
    }

    @Override
    public String toString() {
        return uri + " (experiment '" + experimentName + "', " + credentialSource() + ")";
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
