package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.fsqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.lfqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.simvqParams;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** decode(assign(zPre).indices()) is exactly assign(zPre).quantized() for every family, before and after an update. */
class DecodeRoundTripTest {

    private static final int D = 6;
    private static final int K = 16;

    private static Map<String, QuantizerState> everyQuantizer() {
        Map<String, QuantizerState> out = new LinkedHashMap<>(QuantizerFixtures.allFamilies(D, K, 3));
        out.put("fsq(default levels for K = 256)", new Fsq(fsqParams()).create(setup(D, 256, 0.25, 1e-2, 3)));
        out.put("fsq(levels 3, 4, 5)", new Fsq(fsqParams(3, 4, 5)).create(setup(D, 16, 0.25, 1e-2, 3)));
        out.put("fsq(levels 2, 8)", new Fsq(fsqParams(2, 8)).create(setup(D, 16, 0.25, 1e-2, 3)));
        out.put("lfq(K = 16)", new Lfq(lfqParams(0.1)).create(setup(D, 16, 0.25, 1e-2, 3)));
        out.put("lfq(K = 2)", new Lfq(lfqParams(0.0)).create(setup(D, 2, 0.25, 1e-2, 3)));
        return out;
    }

    /** zPre as the graph would produce it for this family (unit vectors for vq-fc, a wide spread for the grids). */
    private static INDArray tokens(QuantizerState q, int n, long seed) {
        double std = q instanceof Fsq.State ? 3.0 : q instanceof Lfq.State ? 1.0 : 0.5;
        INDArray z = gaussian(n, q.codeDim(), std, seed);
        if (q instanceof FactorizedVq.State) {
            INDArray norms = org.nd4j.linalg.ops.transforms.Transforms.sqrt(z.mul(z).sum(true, 1), false);
            z = z.divColumnVector(norms);
        }
        return z;
    }

    @Test
    void decodingTheChosenIndicesGivesTheForwardPassVectorsForEveryQuantizer() {
        Map<String, QuantizerState> all = everyQuantizer();
        assertEquals(16 + 3 + 3 + 2 + 1, all.size(), "vq, 16 SimVQ variants, vq-fc, 2 × vq-ema, 3 × fsq, 2 × lfq");
        all.forEach((name, q) -> {
            for (int round = 0; round < 3; round++) {
                INDArray z = tokens(q, 40, 10L * round + name.hashCode());
                try (Assignment a = q.assign(z)) {
                    assertEquals(40, a.indices().length, name);
                    assertArrayEquals(new long[] {40, q.codeDim()}, a.quantized().shape(), name);
                    for (int i : a.indices()) {
                        assertTrue(i >= 0 && i < q.codebookSize(), name + ": index " + i + " outside [0, " + q.codebookSize() + ")");
                    }
                    INDArray decoded = q.decode(a.indices());
                    assertArrayEquals(bits(a.quantized()), bits(decoded), name + ", round " + round + ": decode(indices) ≠ quantized");
                    q.update(z, a); // the next round checks the updated codebook
                }
            }
        });
    }

    @Test
    void simvqDecodesWithTheEffectiveCodebookNotTheFrozenOne() {
        for (String w : new String[] {"full", "diagonal"}) {
            for (boolean bias : new boolean[] {true, false}) {
                SimVq.State s = (SimVq.State) new SimVq(simvqParams(false, w, bias, "gaussian")).create(setup(D, K, 0.25, 1e-2, 8));
                INDArray z = gaussian(30, D, 0.5, 2);
                try (Assignment a = s.assign(z)) {
                    s.update(z, a);
                }
                int[] all = new int[K];
                for (int i = 0; i < K; i++) {
                    all[i] = i;
                }
                double[][] decoded = toDouble(s.decode(all));
                double[][] c = toDouble(s.frozenCodebook());
                double[][] wd = toDouble(s.weight());
                double[][] b = {GradientSemanticsTest.bias(s)};
                if (!bias) {
                    b = new double[1][D];
                }
                double[][] expected = CodebookGradientTest.effective(c, wd, b, w.equals("diagonal"));
                QuantizerFixtures.assertClose(expected, decoded, 1e-6, "simvq(w=" + w + ", bias=" + bias + "): decode = C·Wᵀ + b");
                double largest = 0;
                for (int r = 0; r < K; r++) {
                    largest = Math.max(largest, Math.sqrt(QuantizerFixtures.squaredDistance(decoded[r], c[r])));
                }
                assertTrue(largest > 0.1, "decode must not return the raw frozen rows of C (largest difference " + largest + ")");
            }
        }
    }
}
