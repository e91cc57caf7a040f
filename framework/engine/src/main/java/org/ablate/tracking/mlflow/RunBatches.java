package org.ablate.tracking.mlflow;

import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;

/**
 * Splits what a run logs into log-batch requests within the server's limits (at most 1000
 * metrics, 100 params, 100 tags and 1000 items per request, and a 1 MB body), and shortens
 * values past the server's length limits with a visible marker.
 */
public final class RunBatches {

    public static final int MAX_METRICS = 1000;
    public static final int MAX_PARAMS = 100;
    public static final int MAX_TAGS = 100;
    public static final int MAX_ITEMS = 1000;
    /** Below the 1 MB limit, leaving room for JSON framing the estimate does not count. */
    public static final int MAX_BODY_BYTES = 900_000;
    public static final int MAX_PARAM_VALUE = 6000;
    public static final int MAX_TAG_VALUE = 8000;
    public static final String TRUNCATED = "...[truncated by ablate]";

    private static final int ENTITY_OVERHEAD = 64; // braces, field names and the printer's indentation around each entry

    /** One request's share. */
    public record Batch(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    }

    private RunBatches() {
    }

    public static Param param(String key, String value) {
        return Param.newBuilder().setKey(key).setValue(shorten(value, MAX_PARAM_VALUE)).build();
    }

    public static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(shorten(value, MAX_TAG_VALUE)).build();
    }

    public static Metric metric(String key, double value, long timestampMillis, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestampMillis).setStep(step).build();
    }

    /** Cuts {@code value} to at most {@code max} characters, ending in {@link #TRUNCATED} when cut. */
    static String shorten(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int cut = max - TRUNCATED.length();
        if (Character.isHighSurrogate(value.charAt(cut - 1))) {
            cut--; // never half a character: a lone surrogate does not survive UTF-8
        }
        return value.substring(0, cut) + TRUNCATED;
    }

    public static List<Batch> split(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
        List<Batch> out = new ArrayList<>();
        Builder b = new Builder();
        for (Param p : params) {
            int size = bytes(p.getKey()) + bytes(p.getValue()) + ENTITY_OVERHEAD;
            if (b.params.size() == MAX_PARAMS || !b.fits(size)) {
                out.add(b.build());
                b = new Builder();
            }
            b.params.add(p);
            b.bytes += size;
        }
        for (RunTag t : tags) {
            int size = bytes(t.getKey()) + bytes(t.getValue()) + ENTITY_OVERHEAD;
            if (b.tags.size() == MAX_TAGS || !b.fits(size)) {
                out.add(b.build());
                b = new Builder();
            }
            b.tags.add(t);
            b.bytes += size;
        }
        for (Metric m : metrics) {
            int size = bytes(m.getKey()) + 3 * 24 + ENTITY_OVERHEAD;
            if (b.metrics.size() == MAX_METRICS || !b.fits(size)) {
                out.add(b.build());
                b = new Builder();
            }
            b.metrics.add(m);
            b.bytes += size;
        }
        if (b.items() > 0) {
            out.add(b.build());
        }
        return out;
    }

    /**
     * The bytes a string takes in the request body, quoted and escaped as the client's JSON printer
     * (protobuf's, with Gson's HTML-safe escaping) writes it: a quote or a backslash two, a control
     * character or one of {@code < > & = '} six (a backslash-u escape), any other character its
     * UTF-8 length.
     */
    static int bytes(String s) {
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '=' || c == '\'' || c == 0x2028 || c == 0x2029) {
                n += 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                n += 2; // a surrogate pair is four bytes in UTF-8
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static final class Builder {
        final List<Metric> metrics = new ArrayList<>();
        final List<Param> params = new ArrayList<>();
        final List<RunTag> tags = new ArrayList<>();
        int bytes;

        int items() {
            return metrics.size() + params.size() + tags.size();
        }

        boolean fits(int size) {
            return items() < MAX_ITEMS && (items() == 0 || bytes + size <= MAX_BODY_BYTES);
        }

        Batch build() {
            return new Batch(List.copyOf(metrics), List.copyOf(params), List.copyOf(tags));
        }
    }
}
