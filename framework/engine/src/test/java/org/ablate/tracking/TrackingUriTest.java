package org.ablate.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrackingUriTest {

    @Test
    void userInfoIsSplitOffAndDecoded() {
        TrackingUri u = TrackingUri.parse("http://ann%2Eb:p%40ss%3Aw+rd@127.0.0.1:5000/");
        assertEquals("http://127.0.0.1:5000", u.address());
        assertEquals("ann.b", u.username());
        assertEquals("p@ss:w+rd", u.password(), "percent escapes decoded, '+' kept as a plus");
        assertEquals("http://127.0.0.1:5000", u.toString());
    }

    @Test
    void aRawAtSignInThePasswordStaysInThePassword() {
        TrackingUri u = TrackingUri.parse("https://ann:p@ss@mlflow.example.org/base");
        assertEquals("https://mlflow.example.org/base", u.address());
        assertEquals("p@ss", u.password());
    }

    @Test
    void aUriWithoutUserInfoHasNoCredentials() {
        TrackingUri u = TrackingUri.parse("http://127.0.0.1:5000");
        assertFalse(u.hasCredentials());
        assertNull(u.password());
    }

    @Test
    void aQueryIsRefusedWithoutRepeatingItsToken() {
        String message = TrackingUri.problem("http://127.0.0.1:5000/?token=tok-SECRET-1").orElseThrow();
        assertTrue(message.contains("MLFLOW_TRACKING_TOKEN"), message);
        assertFalse(message.contains("tok-SECRET-1"), message);
    }

    @Test
    void anUnsupportedSchemeIsRefusedWithoutRepeatingItsPassword() {
        String message = TrackingUri.problem("ftp://ann:pw-SECRET-2@host").orElseThrow();
        assertEquals("tracking URI 'ftp://***@host' is not supported (accepted: an http:// or https:// MLflow server)", message);
    }
}
