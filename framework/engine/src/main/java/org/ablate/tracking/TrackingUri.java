package org.ablate.tracking;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.ablate.provenance.Redaction;

/**
 * A tracking URI split into the server's address, which may be printed and stored, and the
 * credentials of its user-info ({@code http://user:secret@host:port}, percent-encoded), which are
 * used for this process only and never written anywhere.
 *
 * @param address  the URI without user-info and without a trailing '/'
 * @param username the decoded user name of the user-info, or null
 * @param password the decoded password of the user-info, or null
 */
public record TrackingUri(String address, String username, String password) {

    /** The problem with a tracking URI as a one-line message (secrets masked), or empty when it is usable. */
    public static Optional<String> problem(String raw) {
        if (!raw.startsWith("http://") && !raw.startsWith("https://")) {
            return Optional.of("tracking URI '" + Redaction.redactUrl(raw)
                    + "' is not supported (accepted: an http:// or https:// MLflow server)");
        }
        if (raw.indexOf('?') >= 0 || raw.indexOf('#') >= 0) {
            // MLflow's clients append /api/... to the URI: a query would be cut off, and a token in it printed
            return Optional.of("tracking URI '" + Redaction.redactUrl(raw) + "' has a query or fragment, which MLflow "
                    + "does not take (accepted: http(s)://host[:port][/path]); pass a token in MLFLOW_TRACKING_TOKEN");
        }
        return Optional.empty();
    }

    /** Splits a usable URI (see {@link #problem}). */
    public static TrackingUri parse(String raw) {
        int start = raw.indexOf("://") + 3;
        int at = raw.lastIndexOf('@');
        String address = at < start ? raw : raw.substring(0, start) + raw.substring(at + 1);
        if (address.endsWith("/")) {
            address = address.substring(0, address.length() - 1);
        }
        if (at < start) {
            return new TrackingUri(address, null, null);
        }
        String userInfo = raw.substring(start, at);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        return new TrackingUri(address, user, password);
    }

    /** True when the URI carries a user name (with or without a password). */
    public boolean hasCredentials() {
        return username != null;
    }

    private static String decode(String s) {
        try {
            // user-info is percent-encoded; '+' is a literal plus there, not a space
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }

    @Override
    public String toString() {
        return address; // never the credentials
    }
}
