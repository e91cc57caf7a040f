package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.bits;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reused-buffer scatter-add gives the fresh one's bits, duplicates included, call after call. */
class ScatterIntoTest {

    @Test
    void scatterIntoAReusedBufferEqualsAFreshScatterBitForBit() {
        INDArray out = Nd4j.create(DataType.FLOAT, 6, 3);
        int[][] calls = {{0, 0, 5, 2, 2, 2}, {1, 1, 1, 1, 4, 3}, {5, 5, 5, 5, 5, 5}};
        long seed = 1;
        for (int[] indices : calls) {
            INDArray perToken = gaussian(indices.length, 3, 1.0, seed++);
            CodebookGradient.scatterInto(perToken, indices, out);
            assertArrayEquals(bits(CodebookGradient.scatter(perToken, indices, 6)), bits(out),
                    "rows not chosen this call are zero again, duplicates accumulate");
        }
    }
}
