package org.ablate.quantizers.twin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ablate.quantizers.bench.TorchPeer;
import org.ablate.quantizers.metrics.CodebookUsage;
import org.ablate.quantizers.metrics.EffectiveRank;
import org.ablate.quantizers.metrics.ImageQuality;
import org.ablate.quantizers.model.Autoencoder;
import org.ablate.quantizers.quantizer.Fsq;
import org.ablate.quantizers.quantizer.Lfq;
import org.ablate.quantizers.quantizer.SimVq;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.Parameters;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The torch twin's definitions against the Java side's on the same inputs: metric values, FSQ and
 * LFQ code values and LFQ's per-bit entropy term, and the initialisation's statistics; and the
 * twin's own Python tests (hand-computed cases, LFQ's joint entropy among them).
 */
class TorchTwinDefinitionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String python() {
        var peer = TorchPeer.find();
        assumeTrue(peer.isPresent(), "skipped: no python with torch (tried $ABLATE_PYTHON, python3, /usr/bin/python3);"
                + " install it with `apt-get install python3-torch`");
        return peer.get().python();
    }

    private static JsonNode twin(Map<String, Object> request) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(python(), "-m", TwinSources.MODULE + ".definitions");
        pb.environment().put("PYTHONPATH", TwinSources.pythonPath().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Path err = Files.createTempFile("twin-definitions-", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(JSON.writeValueAsBytes(request));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the twin's definitions ran past 300 s");
        String stderr = Files.readString(err);
        Files.delete(err);
        assertEquals(0, p.exitValue(), stderr);
        return JSON.readTree(out);
    }

    private static float[] uniform(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    @Test
    void mseMeanPsnrAndSsimAgreeWithImageQualityOnTheSameImages() throws Exception {
        Random r = new Random(11);
        int n = 5;
        float[] x = uniform(r, n * 784);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            // a different noise level per image, clamped to [0, 1] as a sigmoid's output is
            y[i] = Math.min(1f, Math.max(0f, x[i] + (float) (r.nextGaussian() * 0.05 * (1 + i / 784))));
        }
        JsonNode t = twin(Map.of("images", Map.of("x", x, "y", y, "h", 28, "w", 28))).get("images");
        assertEquals(ImageQuality.mse(x, y), t.get("mse").asDouble(), 1e-12);
        assertEquals(ImageQuality.meanPsnr(x, y, 784), t.get("psnr").asDouble(), 1e-9);
        assertEquals(ImageQuality.meanSsim(x, y, 28, 28), t.get("ssim").asDouble(), 1e-10);
    }

    @Test
    void utilisationPerplexityAndEffectiveRankAgree() throws Exception {
        Random r = new Random(12);
        int[] indices = new int[500];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (int) Math.min(63, Math.abs(r.nextGaussian() * 12)); // skewed: some codes unused
        }
        double[][] m = new double[8][8];
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian() * (j + 1);
            }
        }
        JsonNode t = twin(Map.of("usage", Map.of("indices", indices, "k", 64), "rank", Map.of("rows", m)));
        CodebookUsage usage = CodebookUsage.of(indices, 64);
        assertEquals(usage.distinctCodes(), t.get("usage").get("distinct").asInt());
        assertTrue(usage.distinctCodes() < 64, "the case leaves codes unused");
        assertEquals(usage.utilisation(), t.get("usage").get("utilization").asDouble(), 1e-15);
        assertEquals(usage.perplexity(), t.get("usage").get("perplexity").asDouble(), 1e-10);
        assertEquals(EffectiveRank.of(m), t.get("rank").get("effective_rank").asDouble(), 1e-10);
    }

    private static QuantizerSetup setup(int d, int k) {
        return new QuantizerSetup(d, k, 0.25, 1e-3, 7, 1L << 24);
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    @Test
    void fsqAndLfqGiveTheSameCodesQuantisedValuesAndDecodings() throws Exception {
        Random r = new Random(13);
        int n = 200;
        long[] levels = {8, 5, 5, 5};
        float[] zf = new float[n * levels.length];
        for (int i = 0; i < zf.length; i++) {
            // spread over and past each level's range, with exact halves to check the rounding
            zf[i] = i % 17 == 0 ? (float) (Math.floor(r.nextGaussian() * 3) + 0.5) : (float) (r.nextGaussian() * 3);
        }
        int bits = 6;
        float[] zl = new float[n * bits];
        for (int i = 0; i < zl.length; i++) {
            zl[i] = i % 23 == 0 ? 0f : (float) r.nextGaussian();
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("fsq", Map.of("levels", levels, "z", zf, "n", n));
        request.put("lfq", Map.of("bits", bits, "z", zl, "n", n));
        JsonNode t = twin(request);

        QuantizerState fsq = new Fsq(new Parameters(Map.of("levels", List.of(8L, 5L, 5L, 5L)))).create(setup(8, 1000));
        checkCodes(fsq, zf, n, levels.length, t.get("fsq"));
        QuantizerState lfq = new Lfq(new Parameters(Map.of("entropy_weight", 1.0, "entropy", "per_bit"))).create(setup(8, 1 << bits));
        checkCodes(lfq, zl, n, bits, t.get("lfq"));

        // the per-bit entropy term, through the graph the trainer builds
        SameDiff sd = SameDiff.create();
        SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, bits);
        SDVariable term = lfq.extraLoss(sd, z);
        INDArray value = sd.output(Map.of("z", Nd4j.create(zl, new long[] {n, bits}, 'c')), term.name()).get(term.name());
        assertEquals(value.getDouble(0), t.get("lfq").get("per_bit").asDouble(), 2e-5);
        assertTrue(t.get("lfq").get("joint").asDouble() > t.get("lfq").get("per_bit").asDouble(),
                "the joint codebook entropy never exceeds the per-bit sum: " + t.get("lfq"));

        // the joint form (the default): the same number on both sides (Java in float, the twin in double)
        QuantizerState joint = new Lfq(new Parameters(Map.of("entropy_weight", 1.0, "entropy", "joint"))).create(setup(8, 1 << bits));
        SameDiff sdJoint = SameDiff.create();
        SDVariable zJoint = sdJoint.placeHolder("z", DataType.FLOAT, -1, bits);
        SDVariable jointTerm = joint.extraLoss(sdJoint, zJoint);
        INDArray jointValue = sdJoint.output(Map.of("z", Nd4j.create(zl, new long[] {n, bits}, 'c')), jointTerm.name())
                .get(jointTerm.name());
        assertEquals(t.get("lfq").get("joint").asDouble(), jointValue.getDouble(0), 1e-4);
    }

    private static void checkCodes(QuantizerState q, float[] z, int n, int dim, JsonNode twin) {
        try (Assignment a = q.assign(Nd4j.create(z, new long[] {n, dim}, 'c'))) {
            assertArrayEquals(a.indices(), ints(twin.get("indices")));
            assertArrayEquals(a.quantized().dup('c').data().asFloat(), floats(twin.get("q")));
            assertArrayEquals(q.decode(a.indices()).dup('c').data().asFloat(), floats(twin.get("decoded")));
        }
    }

    private static double[] stats(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double sum = 0;
        double max = 0;
        for (double x : v) {
            sum += x;
            max = Math.max(max, Math.abs(x));
        }
        double mean = sum / v.length;
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {v.length, max, Math.sqrt(sq / v.length)};
    }

    private static int[] all(int k) {
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        return idx;
    }

    @Test
    void initialisationHasTheSameShapesBoundsAndSpreadOnBothSides() throws Exception {
        int d = 32;
        int k = 1024;
        for (String model : List.of("conv", "mlp")) {
            JsonNode t = twin(Map.of("init", Map.of("model", model, "d", d, "k", k, "seed", 3))).get("init");
            QuantizerState vq = new VanillaVq().create(setup(d, k));
            Autoencoder net = Autoencoder.build(Autoencoder.Architecture.valueOf(model.toUpperCase(java.util.Locale.ROOT)),
                    d, vq, 0.25, 5);
            List<String> names = new ArrayList<>();
            net.graph().variables().forEach(v -> {
                if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                    names.add(v.name());
                }
            });
            assertEquals(names.size(), t.size() - 2, model + ": the same trainable tensors: " + names + " vs " + t);
            Map<String, double[]> javaSide = new LinkedHashMap<>();
            for (String name : names) {
                javaSide.put(name, stats(net.graph().getVariable(name).getArr()));
            }
            javaSide.put("vq_codebook", stats(vq.decode(all(k))));
            SimVq simvq = new SimVq(new Parameters(Map.of("train_codebook", false, "w", "full", "bias", true,
                    "codebook_init", "gaussian")));
            javaSide.put("simvq_e", stats(simvq.create(setup(d, k)).decode(all(k))));
            for (Map.Entry<String, double[]> e : javaSide.entrySet()) {
                JsonNode s = t.get(e.getKey());
                double[] j = e.getValue();
                String what = model + " " + e.getKey() + ": java " + java.util.Arrays.toString(j) + " twin " + s;
                assertEquals(j[0], s.get(0).asDouble(), what);                 // element count
                if (j[1] == 0) {
                    assertEquals(0.0, s.get(1).asDouble(), what);              // zero biases
                    continue;
                }
                if (e.getKey().equals("simvq_e")) {
                    // E = C Wᵀ + b: its spread hangs on one draw of W and b, so each side against the
                    // distribution's, var = d · (1/d) · 1/(3d) + 1/(3d) = 2/(3d)
                    double expected = Math.sqrt(2.0 / (3 * d));
                    assertEquals(expected, j[2], 0.2 * expected, what + " (java's spread)");
                    assertEquals(expected, s.get(2).asDouble(), 0.2 * expected, what + " (twin's spread)");
                    continue;
                }
                // independent draws of the same distribution: within 6 standard errors of each other
                double relativeError = Math.sqrt(2.0 / j[0]) * 6 + 0.01;
                assertEquals(j[2], s.get(2).asDouble(), j[2] * relativeError, what + " (spread)");
                // uniform: the same support
                assertEquals(j[1], s.get(1).asDouble(), j[1] * Math.max(0.02, 20.0 / j[0]), what + " (bound)");
            }
        }
    }

    @Test
    void theTwinsOwnPythonTestsPass() throws Exception {
        Path tests = Path.of("src/test/python").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(python(), "-m", "unittest", "discover", "-s", tests.toString(), "-v")
                .redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", TwinSources.pythonPath().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("OK") && !out.contains("skipped"), out);
    }

    @Test
    void thePackageListIsTheSourceFolder() throws IOException {
        try (var files = Files.list(Path.of("src/main/python", TwinSources.MODULE))) {
            assertEquals(TwinSources.FILES.stream().sorted().toList(),
                    files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".py")).sorted().toList());
        }
    }
}
