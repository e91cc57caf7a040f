package org.ablate.quantizers.quantizer;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.gaussian;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.squaredDistance;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The chunked nearest-code search against an unchunked search and a brute-force double-precision argmin. */
class NearestCodeTest {

    private static int[] bruteForce(double[][] z, double[][] c) {
        int[] out = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < c.length; k++) {
                double dist = squaredDistance(z[i], c[k]);
                if (dist < best) {
                    best = dist;
                    out[i] = k;
                }
            }
        }
        return out;
    }

    @Test
    void chunkedUnchunkedAndBruteForceAgreeAtK1000() {
        int n = 64;
        int k = 1000;
        int d = 8;
        INDArray codebook = gaussian(k, d, 1.0, 1);
        INDArray z = gaussian(n, d, 1.0, 2);
        int[] expected = bruteForce(toDouble(z), toDouble(codebook));
        int[] unchunked = NearestCode.search(z, codebook, (long) n * k);
        assertArrayEquals(expected, unchunked, "one block of N × K scores");
        // chunks of 3 codes (334 chunks, the last of one code), of 7 (a remainder of 6), of 1, of 999
        for (long bound : new long[] {n * 3L, n * 7L, 1L, n * 999L, (long) n * k * 10}) {
            assertArrayEquals(expected, NearestCode.search(z, codebook, bound), "bound " + bound);
        }
        long distinct = java.util.Arrays.stream(expected).distinct().count();
        assertTrue(distinct > 40, "the tokens choose many different codes: " + distinct);
    }

    @Test
    void nearestCodesInEveryChunkPosition() {
        // the true nearest code sits in the first chunk, the last (partial) chunk and in between
        int k = 1000;
        int d = 4;
        INDArray codebook = gaussian(k, d, 1.0, 3);
        double[][] c = toDouble(codebook);
        int[] targets = {0, 1, 2, 3, 500, 997, 998, 999};
        INDArray z = QuantizerFixtures.near(c, targets, 0.3, 4);
        for (long bound : new long[] {targets.length * 3L, 1L, (long) targets.length * k}) {
            assertArrayEquals(targets, NearestCode.search(z, codebook, bound), "bound " + bound);
        }
    }

    @Test
    void augmentedCodebookIsTwoCAndMinusTheSquaredNorm() {
        INDArray codebook = gaussian(5, 3, 1.0, 6);
        double[][] c = toDouble(codebook);
        double[][] aug = toDouble(NearestCode.augment(codebook));
        for (int r = 0; r < 5; r++) {
            assertEquals(4, aug[r].length);
            for (int j = 0; j < 3; j++) {
                assertEquals(2 * c[r][j], aug[r][j], 1e-6);
            }
            assertEquals(-squaredDistance(c[r], new double[3]), aug[r][3], 1e-5);
        }
    }

    @Test
    void gatherCopiesRowsIncludingDuplicates() {
        INDArray codebook = gaussian(6, 3, 1.0, 7);
        int[] idx = {5, 0, 5, 5, 2};
        double[][] got = toDouble(NearestCode.gather(codebook, idx));
        double[][] c = toDouble(codebook);
        for (int i = 0; i < idx.length; i++) {
            assertArrayEquals(c[idx[i]], got[i], 0.0, "row " + i);
        }
    }
}
