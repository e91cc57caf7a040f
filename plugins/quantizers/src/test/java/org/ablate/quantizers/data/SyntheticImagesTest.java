package org.ablate.quantizers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

    static float[] all(ImageDataset d) {
        return d.allPixels();
    }

    @Test
    void deterministicForASeed() {
        ImageDataset a = SyntheticImages.generate(200, 5, 42);
        ImageDataset b = SyntheticImages.generate(200, 5, 42);
        assertArrayEquals(all(a), all(b));
        assertArrayEquals(a.labels(), b.labels());
        ImageDataset c = SyntheticImages.generate(200, 5, 43);
        assertFalse(Arrays.equals(all(a), all(c)));
        assertEquals("synthetic-5c-seed42", a.name());
    }

    @Test
    void aSmallerSetIsAPrefixOfALargerOne() {
        ImageDataset small = SyntheticImages.generate(30, 4, 7);
        ImageDataset large = SyntheticImages.generate(300, 4, 7);
        assertArrayEquals(all(small), all(large.subset(30)));
        assertArrayEquals(small.labels(), large.subset(30).labels());
    }

    @Test
    void shapeRangeAndLabels() {
        ImageDataset d = SyntheticImages.generate(500, 10, 1);
        assertEquals(500, d.count());
        assertEquals(28, d.height());
        assertEquals(28, d.width());
        float[] px = all(d);
        float min = 1;
        float max = 0;
        for (float v : px) {
            assertFalse(Float.isNaN(v));
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min, "noise is clipped at 0");
        assertEquals(1f, max, "bright blobs are clipped at 1");
        int[] perClass = new int[10];
        for (int l : d.labels()) {
            assertTrue(l >= 0 && l < 10);
            perClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(perClass[c] > 20, "class " + c + " has " + perClass[c] + " of 500 images");
        }
    }

    @Test
    void classesAreSeparableClusters() {
        ImageDataset d = SyntheticImages.generate(1000, 8, 3);
        int hw = d.pixelsPerImage();
        float[] px = all(d);
        int[] labels = d.labels();
        // Class means from the first half, nearest-mean classification of the second half.
        double[][] mean = new double[8][hw];
        int[] n = new int[8];
        for (int i = 0; i < 500; i++) {
            n[labels[i]]++;
            for (int p = 0; p < hw; p++) {
                mean[labels[i]][p] += px[i * hw + p];
            }
        }
        for (int c = 0; c < 8; c++) {
            for (int p = 0; p < hw; p++) {
                mean[c][p] /= n[c];
            }
        }
        int correct = 0;
        for (int i = 500; i < 1000; i++) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < 8; c++) {
                double dist = 0;
                for (int p = 0; p < hw; p++) {
                    double diff = px[i * hw + p] - mean[c][p];
                    dist += diff * diff;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        assertTrue(correct >= 490, "nearest-class-mean accuracy " + correct + "/500");
    }

    @Test
    void customSizeAndNoise() {
        ImageDataset clean = SyntheticImages.generate(20, 2, 9, 12, 16, 0.0);
        assertEquals(12, clean.height());
        assertEquals(16, clean.width());
        // Without noise every image equals its class prototype.
        int[] labels = clean.labels();
        for (int i = 1; i < 20; i++) {
            if (labels[i] == labels[0]) {
                assertArrayEquals(clean.image(0), clean.image(i));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.generate(-1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.generate(5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticImages.generate(5, 2, 0, 28, 28, -0.1));
    }
}
