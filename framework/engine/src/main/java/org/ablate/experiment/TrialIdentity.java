package org.ablate.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.ablate.spi.Parameters;

/**
 * A trial's identity: the first 12 hex digits of SHA-256 over the canonical JSON of
 * {task, params, seed} — keys sorted, values typed by the schema (so 1000 and 1e3 for a real
 * parameter hash alike, and the order keys were written in does not matter). A parameter declared
 * {@link org.ablate.spi.Param#identityOmitsDefault()} is left out while it has its default.
 */
public final class TrialIdentity {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TrialIdentity() {
    }

    public static String canonicalJson(String task, Parameters params, long seed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("params", new TreeMap<>(params.identityMap()));
        doc.put("seed", seed);
        doc.put("task", task);
        try {
            return CANONICAL.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parameters are not serialisable: " + params, e);
        }
    }

    public static String id(String task, Parameters params, long seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson(task, params, seed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
