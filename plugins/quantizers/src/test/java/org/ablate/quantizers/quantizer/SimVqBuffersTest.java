package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.simvqParams;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ablate.quantizers.spi.Assignment;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SimVQ computes each new effective codebook into a reused buffer: what it searches and decodes
 * after every update is, bit for bit, C·Wᵀ + b computed afresh (full and diagonal W, with and
 * without bias), and the rows-changed count still compares against the previous codebook.
 */
class SimVqBuffersTest {

    @Test
    void theReusedEffectiveCodebookIsCTimesWTransposedPlusBAfterEveryUpdate() {
        int k = 12;
        int[] all = new int[k];
        for (int i = 0; i < k; i++) {
            all[i] = i;
        }
        for (String w : new String[] {"full", "diagonal"}) {
            for (boolean bias : new boolean[] {true, false}) {
                SimVq.State s = (SimVq.State) new SimVq(simvqParams(false, w, bias, "gaussian")).create(setup(4, k, 0.25, 1e-2, 3));
                for (int step = 0; step < 4; step++) {
                    INDArray z = gaussian(9, 4, 0.5, 40 + step);
                    try (Assignment a = s.assign(z)) {
                        s.update(z, a);
                    }
                    assertArrayEquals(bits(s.effectiveCodebook()), bits(s.decode(all)), w + " bias " + bias + " step " + step);
                    assertEquals(k, s.rowsChanged(), w + " bias " + bias + " step " + step);
                }
            }
        }
    }
}
