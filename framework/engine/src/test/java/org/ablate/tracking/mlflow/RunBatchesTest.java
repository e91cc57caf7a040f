package org.ablate.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.mlflow.api.proto.Service.LogBatch;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;

/** Log-batch requests within the server's limits, and values shortened visibly. */
class RunBatchesTest {

    private static List<Metric> metrics(int n) {
        return IntStream.range(0, n).mapToObj(i -> RunBatches.metric("train/loss", i * 0.5, 1_700_000_000_000L + i, i)).toList();
    }

    private static List<Param> params(int n, String value) {
        return IntStream.range(0, n).mapToObj(i -> RunBatches.param("p" + i, value)).toList();
    }

    private static List<RunTag> tags(int n, String value) {
        return IntStream.range(0, n).mapToObj(i -> RunBatches.tag("t" + i, value)).toList();
    }

    /** The request body exactly as the MLflow Java client sends it. */
    private static int bodyBytes(RunBatches.Batch b) throws InvalidProtocolBufferException {
        LogBatch request = LogBatch.newBuilder().setRunId("0123456789abcdef0123456789abcdef")
                .addAllMetrics(b.metrics()).addAllParams(b.params()).addAllTags(b.tags()).build();
        return JsonFormat.printer().preservingProtoFieldNames().print(request).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Every batch within every limit, and the batches together are the input, in order. */
    private static List<RunBatches.Batch> splitChecked(List<Metric> m, List<Param> p, List<RunTag> t) throws Exception {
        List<RunBatches.Batch> batches = RunBatches.split(m, p, t);
        List<Metric> allM = new ArrayList<>();
        List<Param> allP = new ArrayList<>();
        List<RunTag> allT = new ArrayList<>();
        for (RunBatches.Batch b : batches) {
            int items = b.metrics().size() + b.params().size() + b.tags().size();
            assertTrue(items > 0, "an empty request");
            assertTrue(b.metrics().size() <= 1000, "metrics " + b.metrics().size());
            assertTrue(b.params().size() <= 100, "params " + b.params().size());
            assertTrue(b.tags().size() <= 100, "tags " + b.tags().size());
            assertTrue(items <= 1000, "items " + items);
            int bytes = bodyBytes(b);
            assertTrue(bytes < 1_000_000, "a body of " + bytes + " bytes");
            allM.addAll(b.metrics());
            allP.addAll(b.params());
            allT.addAll(b.tags());
        }
        assertEquals(m, allM);
        assertEquals(p, allP);
        assertEquals(t, allT);
        return batches;
    }

    @Test
    void metricsGoAThousandARequest() throws Exception {
        List<RunBatches.Batch> b = splitChecked(metrics(2500), List.of(), List.of());
        assertEquals(List.of(1000, 1000, 500), b.stream().map(x -> x.metrics().size()).toList());
        assertEquals(List.of(1000), splitChecked(metrics(1000), List.of(), List.of()).stream().map(x -> x.metrics().size()).toList());
        assertEquals(List.of(), RunBatches.split(List.of(), List.of(), List.of()));
    }

    @Test
    void paramsAndTagsGoAHundredARequest() throws Exception {
        List<RunBatches.Batch> p = splitChecked(List.of(), params(250, "v"), List.of());
        assertEquals(List.of(100, 100, 50), p.stream().map(x -> x.params().size()).toList());
        List<RunBatches.Batch> t = splitChecked(List.of(), List.of(), tags(201, "v"));
        assertEquals(List.of(100, 100, 1), t.stream().map(x -> x.tags().size()).toList());
    }

    @Test
    void aMixFillsRequestsToAThousandItems() throws Exception {
        List<RunBatches.Batch> b = splitChecked(metrics(1950), params(100, "v"), tags(100, "v"));
        int total = 0;
        for (RunBatches.Batch x : b) {
            total += x.metrics().size() + x.params().size() + x.tags().size();
        }
        assertEquals(2150, total);
        assertEquals(3, b.size(), "1000 + 1000 + 150 items");
    }

    @Test
    void hugeValuesKeepEachBodyUnderOneMegabyte() throws Exception {
        String big = "a".repeat(RunBatches.MAX_PARAM_VALUE);
        List<RunBatches.Batch> b = splitChecked(metrics(10), params(100, big), tags(100, "b".repeat(RunBatches.MAX_TAG_VALUE)));
        assertTrue(b.size() >= 2, "1.4 MB of values cannot go in one request");
        // characters the JSON body escapes (six bytes each) or encodes in several bytes
        splitChecked(List.of(), params(100, "<=>&'\"\\\n".repeat(750)), tags(100, "é€😀<".repeat(1600)));
        splitChecked(metrics(1000).stream().map(m -> m.toBuilder().setKey("k".repeat(240) + m.getStep() % 7).build()).toList(),
                List.of(), List.of());
    }

    @Test
    void longValuesAreShortenedVisibly() {
        String value = "x".repeat(7000);
        Param p = RunBatches.param("long", value);
        assertEquals(6000, p.getValue().length());
        assertTrue(p.getValue().endsWith(RunBatches.TRUNCATED));
        assertEquals(value.substring(0, 6000 - RunBatches.TRUNCATED.length()), p.getValue().substring(0, 6000 - RunBatches.TRUNCATED.length()));
        assertEquals("x".repeat(6000), RunBatches.param("edge", "x".repeat(6000)).getValue(), "at the limit: untouched");
        RunTag t = RunBatches.tag("long", "y".repeat(9000));
        assertEquals(8000, t.getValue().length());
        assertTrue(t.getValue().endsWith(RunBatches.TRUNCATED));
        // a cut never splits a character in two (a lone surrogate would not survive UTF-8)
        String emoji = "😀".repeat(3500); // 7000 UTF-16 units
        String cut = RunBatches.param("emoji", emoji).getValue();
        assertTrue(cut.length() <= 6000 && cut.endsWith(RunBatches.TRUNCATED));
        String kept = cut.substring(0, cut.length() - RunBatches.TRUNCATED.length());
        assertEquals(kept, new String(kept.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
