package org.ablate.quantizers.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CodebookUsageTest {

    @Test
    void halfTheCodesUsedEvenly() {
        CodebookUsage u = CodebookUsage.of(new int[] {0, 0, 1, 1}, 4);
        assertEquals(0.5, u.utilisation());
        assertEquals(2, u.distinctCodes());
        assertEquals(2.0, u.perplexity(), 1e-12);
        assertEquals(Math.log(2), u.entropy(), 1e-15);
        assertEquals(4, u.total());
        assertEquals(4, u.codebookSize());
        assertArrayEquals(new long[] {2, 2, 0, 0}, u.counts());
        assertEquals(2, u.count(1));
    }

    @Test
    void uniformOverAllCodesHasPerplexityK() {
        int k = 64;
        int[] idx = new int[k * 3];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i % k;
        }
        CodebookUsage u = CodebookUsage.of(idx, k);
        assertEquals(1.0, u.utilisation());
        assertEquals(k, u.perplexity(), 1e-9);
    }

    @Test
    void oneCodeTakesEverything() {
        CodebookUsage u = CodebookUsage.of(new int[] {3, 3, 3, 3, 3}, 1024);
        assertEquals(1, u.distinctCodes());
        assertEquals(1.0 / 1024, u.utilisation());
        assertEquals(1.0, u.perplexity());
        assertEquals(0.0, u.entropy());
    }

    @Test
    void skewedDistribution() {
        CodebookUsage u = CodebookUsage.of(new int[] {0, 0, 0, 1}, 8);
        double h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        assertEquals(h, u.entropy(), 1e-15);
        assertEquals(Math.exp(h), u.perplexity(), 1e-14);
        assertEquals(0.25, u.utilisation());
    }

    @Test
    void accumulatesAcrossBatchesAndSources() {
        CodebookUsage whole = CodebookUsage.of(new int[] {0, 5, 5, 2, 7, 7, 1}, 10);
        CodebookUsage parts = new CodebookUsage(10);
        parts.add(new int[] {0, 5, 5});
        parts.add(new long[] {2, 7});
        try (INDArray rest = Nd4j.createFromArray(new long[][] {{7, 7}, {1, 1}})) {
            parts.add(rest.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
        }
        assertArrayEquals(whole.counts(), parts.counts());
        assertEquals(whole.perplexity(), parts.perplexity(), 1e-15);
        assertEquals(whole.utilisation(), parts.utilisation());

        CodebookUsage a = CodebookUsage.of(new int[] {0, 5, 5, 2}, 10);
        CodebookUsage b = CodebookUsage.of(new int[] {7, 7, 1}, 10);
        assertArrayEquals(whole.counts(), a.addAll(b).counts());
        assertEquals(7, a.total());
        assertThrows(IllegalArgumentException.class, () -> a.addAll(new CodebookUsage(11)));
    }

    @Test
    void acceptsNd4jIndexArraysOfAnyIntegerType() {
        try (INDArray idx = Nd4j.createFromArray(new int[][] {{0, 1}, {1, 3}}).castTo(DataType.INT32)) {
            CodebookUsage u = new CodebookUsage(4).add(idx);
            assertArrayEquals(new long[] {1, 2, 0, 1}, u.counts());
        }
    }

    @Test
    void emptyAndReset() {
        CodebookUsage u = new CodebookUsage(4);
        assertEquals(0.0, u.utilisation());
        assertEquals(0.0, u.perplexity());
        assertEquals(0.0, u.entropy());
        u.add(new int[] {1, 2});
        u.reset();
        assertEquals(0, u.total());
        assertEquals(0, u.distinctCodes());
    }

    @Test
    void rejectsBadInput() {
        CodebookUsage u = new CodebookUsage(4);
        assertThrows(IllegalArgumentException.class, () -> u.add(new int[] {0, 4}));
        assertThrows(IllegalArgumentException.class, () -> u.add(new long[] {-1}));
        assertEquals(0, u.total(), "a rejected batch adds nothing");
        assertThrows(IllegalArgumentException.class, () -> new CodebookUsage(0));
    }

    @Test
    void readableSummary() {
        assertEquals("CodebookUsage[K=4, n=4, used=2 (50.0%), perplexity=2.00]",
                CodebookUsage.of(new int[] {0, 0, 1, 1}, 4).toString());
    }
}
