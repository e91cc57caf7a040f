package org.ablate.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ablate.spi.launch.LauncherUnavailableException;

/**
 * Whether a standalone master ({@code spark://HOST:PORT[,HOST:PORT...]}) accepts connections, asked
 * before anything is written: Spark's own client retries an absent master for about a minute and
 * then fails every job, which would record every trial FAILED for what is a typo or a stopped master.
 */
final class MasterReachability {

    /** How long one address may take to accept a connection (a dropped packet, not a refusal, takes this long). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final int DEFAULT_PORT = 7077;

    private MasterReachability() {
    }

    /** Returns when one of the master's addresses accepts a connection; else throws naming each and why. */
    static void check(String master) {
        List<String> failures = new ArrayList<>();
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? address : address.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? DEFAULT_PORT : Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("launcher.master: '" + master + "': '" + address.substring(colon + 1)
                        + "' is not a port (accepted: spark://HOST:PORT)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
                return;
            } catch (IOException e) {
                failures.add(host + ":" + port + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + ")");
            }
        }
        throw new LauncherUnavailableException("launcher.master: no Spark master answers at " + String.join(", ", failures)
                + " (waited up to " + CONNECT_TIMEOUT.toSeconds() + " s each); start the master or correct launcher.master");
    }
}
