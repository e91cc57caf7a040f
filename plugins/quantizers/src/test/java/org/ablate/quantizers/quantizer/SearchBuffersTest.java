package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Buffers kept from search to search never leak one call's numbers into the next: shapes that
 * change between calls (batch size, K, d, a shorter last chunk) give what fresh buffers give.
 */
class SearchBuffersTest {

    @Test
    void reusedBuffersAgreeWithFreshOnesAcrossChangingShapes() {
        SearchBuffers buffers = new SearchBuffers();
        int[][] shapes = { // n, k, d, bound
            {50, 40, 4, 50 * 7}, {50, 40, 4, 50 * 7}, {20, 40, 4, 20 * 40}, {50, 33, 4, 50 * 10},
            {50, 33, 6, 50 * 10}, {7, 300, 3, 7 * 64}, {50, 40, 4, 50 * 7}};
        long seed = 10;
        for (int[] s : shapes) {
            INDArray z = gaussian(s[0], s[2], 1.0, seed++);
            INDArray codebook = gaussian(s[1], s[2], 1.0, seed++);
            int[] fresh = NearestCode.search(z, codebook, s[3]);
            assertArrayEquals(fresh, NearestCode.search(z, codebook, s[3], buffers),
                    "n " + s[0] + ", K " + s[1] + ", d " + s[2] + ", bound " + s[3]);
        }
        buffers.close();
    }

    @Test
    void aChangedCodebookOfTheSameShapeIsSearchedAnew() {
        SearchBuffers buffers = new SearchBuffers();
        INDArray z = gaussian(30, 4, 1.0, 1);
        INDArray first = gaussian(64, 4, 1.0, 2);
        INDArray second = gaussian(64, 4, 1.0, 3);
        NearestCode.search(z, first, 30 * 16, buffers);
        assertArrayEquals(NearestCode.search(z, second, 30 * 16), NearestCode.search(z, second, 30 * 16, buffers),
                "the augmented codebook is rebuilt from the codebook passed in, not kept");
        buffers.close();
    }
}
