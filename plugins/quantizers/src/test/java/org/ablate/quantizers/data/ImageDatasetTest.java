package org.ablate.quantizers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ImageDatasetTest {

    /** Four 2×3 images whose pixel p of image i is i + p/10. */
    static ImageDataset tiny() {
        float[] pixels = new float[4 * 6];
        for (int i = 0; i < 4; i++) {
            for (int p = 0; p < 6; p++) {
                pixels[i * 6 + p] = i + p / 10f;
            }
        }
        return ImageDataset.of("tiny", pixels, new int[] {3, 1, 0, 2}, 2, 3);
    }

    @Test
    void accessors() {
        ImageDataset d = tiny();
        assertEquals("tiny", d.name());
        assertEquals(4, d.count());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertEquals(6, d.pixelsPerImage());
        assertEquals(4, d.classCount());
        assertEquals(2, d.label(3));
        assertArrayEquals(new int[] {3, 1, 0, 2}, d.labels());
        assertArrayEquals(new float[] {2f, 2.1f, 2.2f, 2.3f, 2.4f, 2.5f}, d.image(2));
        assertArrayEquals(new int[] {2, 3}, d.labels(new int[] {3, 0}));
        assertEquals("tiny (4 images of 2×3)", d.toString());
    }

    @Test
    void isImmutable() {
        float[] pixels = new float[6];
        int[] labels = {7};
        ImageDataset d = ImageDataset.of("one", pixels, labels, 2, 3);
        pixels[0] = 1f;
        labels[0] = 0;
        d.labels()[0] = 5;
        d.image(0)[0] = 5f;
        d.allPixels()[0] = 5f;
        assertEquals(0f, d.image(0)[0]);
        assertEquals(0f, d.pixel(0, 0));
        assertEquals(7, d.label(0));
    }

    @Test
    void eightBitPixelsReadAsUnitFloats() {
        byte[] raw = {0, (byte) 255, (byte) 128, 1, 2, 3, (byte) 200, 7};
        ImageDataset d = ImageDataset.ofUnsignedBytes("bytes", raw, new int[] {0, 1}, 2, 2);
        raw[0] = 9;
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, d.image(0));
        assertEquals(200 / 255f, d.pixel(1, 2));
        assertArrayEquals(new float[] {2 / 255f, 3 / 255f, 200 / 255f, 7 / 255f, 0f, 1f, 128 / 255f, 1 / 255f},
                d.batchPixels(new int[] {1, 0}));
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f, 2 / 255f, 3 / 255f, 200 / 255f, 7 / 255f},
                d.allPixels());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, d.subset(1).allPixels());
        try (INDArray buf = Nd4j.create(DataType.FLOAT, 2, 1, 2, 2)) {
            d.batchInto(new int[] {1, 1}, buf);
            assertEquals(7 / 255f, buf.getFloat(1, 0, 1, 1));
        }
    }

    @Test
    void subset() {
        ImageDataset d = tiny();
        ImageDataset two = d.subset(2);
        assertEquals(2, two.count());
        assertEquals("tiny[0:2]", two.name());
        assertArrayEquals(d.image(1), two.image(1));
        assertArrayEquals(new int[] {3, 1}, two.labels());
        assertSame(d, d.subset(4));
        assertSame(d, d.subset(10));
        assertEquals(0, d.subset(0).count());
        assertThrows(IllegalArgumentException.class, () -> d.subset(-1));
    }

    @Test
    void batchesAsFloatsAndNd4j() {
        ImageDataset d = tiny();
        int[] idx = {2, 0, 2};
        float[] flat = d.batchPixels(idx);
        assertEquals(18, flat.length);
        assertEquals(2.4f, flat[4]);
        assertEquals(0.5f, flat[6 + 5]);
        try (INDArray b = d.batch(idx); INDArray f = d.batchFlat(idx)) {
            assertArrayEquals(new long[] {3, 1, 2, 3}, b.shape());
            assertEquals(DataType.FLOAT, b.dataType());
            assertEquals('c', b.ordering());
            assertEquals(2.5f, b.getFloat(0, 0, 1, 2));
            assertEquals(0.1f, b.getFloat(1, 0, 0, 1));
            assertArrayEquals(new long[] {3, 6}, f.shape());
            assertEquals(2.3f, f.getFloat(2, 3));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> d.batchPixels(new int[] {4}));
    }

    @Test
    void batchIntoReusesABuffer() {
        ImageDataset d = tiny();
        try (INDArray buf = Nd4j.create(DataType.FLOAT, 2, 1, 2, 3)) {
            d.batchInto(new int[] {1, 3}, buf);
            assertEquals(1.3f, buf.getFloat(0, 0, 1, 0));
            assertEquals(3.5f, buf.getFloat(1, 0, 1, 2));
            d.batchInto(new int[] {0, 2}, buf);
            assertEquals(0.3f, buf.getFloat(0, 0, 1, 0));
            assertEquals(2.5f, buf.getFloat(1, 0, 1, 2));
            assertTrue(buf.equalsWithEps(d.batch(new int[] {0, 2}), 0));
        }
        // A view into a larger array and an F-order array are filled correctly too.
        try (INDArray big = Nd4j.zeros(DataType.FLOAT, 4, 6)) {
            INDArray rows = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
            d.batchInto(new int[] {3, 2}, rows);
            assertEquals(0f, big.getFloat(0, 0));
            assertEquals(3.4f, big.getFloat(1, 4));
            assertEquals(2.5f, big.getFloat(2, 5));
            assertEquals(0f, big.getFloat(3, 5));
        }
        try (INDArray f = Nd4j.create(DataType.FLOAT, new long[] {2, 6}, 'f')) {
            d.batchInto(new int[] {1, 0}, f);
            assertEquals(1.3f, f.getFloat(0, 3));
            assertEquals(0.5f, f.getFloat(1, 5));
        }
        try (INDArray wrongSize = Nd4j.create(DataType.FLOAT, 3, 6);
                INDArray wrongType = Nd4j.create(DataType.DOUBLE, 2, 6)) {
            assertThrows(IllegalArgumentException.class, () -> d.batchInto(new int[] {0, 1}, wrongSize));
            assertThrows(IllegalArgumentException.class, () -> d.batchInto(new int[] {0, 1}, wrongType));
        }
    }

    @Test
    void rejectsInconsistentSizes() {
        assertThrows(IllegalArgumentException.class, () -> ImageDataset.of("x", new float[5], new int[1], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ImageDataset.of("x", new float[0], new int[0], 0, 3));
    }
}
