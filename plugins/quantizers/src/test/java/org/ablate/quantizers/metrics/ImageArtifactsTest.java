package org.ablate.quantizers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.ablate.quantizers.data.ImageDataset;
import org.ablate.quantizers.data.SyntheticImages;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageArtifactsTest {

    static BufferedImage decode(byte[] png) throws IOException {
        assertTrue(png.length > 8);
        assertEquals((byte) 0x89, png[0]);
        assertEquals((byte) 'P', png[1]);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "the PNG must decode");
        return img;
    }

    static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void reconstructionGridLayoutAndPixels() throws IOException {
        ImageDataset d = SyntheticImages.generate(6, 3, 1);
        float[] orig = d.allPixels();
        float[] recon = new float[orig.length];
        for (int i = 0; i < orig.length; i++) {
            recon[i] = 1f - orig[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageArtifacts.writeReconstructionGrid(orig, recon, 28, 28, 3, 2, out);
        BufferedImage img = decode(out.toByteArray());
        // 3 columns of 56-px tiles with 2-px gaps; 2 pair rows of (gap, original, gap, recon) + final gap.
        assertEquals(3 * 56 + 4 * 2, img.getWidth());
        assertEquals(2 * (2 * 56 + 2 * 2) + 2, img.getHeight());
        assertTrue(distinctColours(img) > 20, "the grid must not be blank");
        // Gap pixel, then pixel (row 10, col 12) of image 4 (pair row 1, column 1) and its reconstruction.
        assertEquals(ImageArtifacts.GAP_GREY, img.getRaster().getSample(0, 0, 0));
        int p = 4 * 784 + 10 * 28 + 12;
        int x0 = 2 + 1 * (56 + 2) + 12 * 2 + 1;
        int y0 = 2 + 1 * (2 * 56 + 2 * 2) + 10 * 2 + 1;
        assertEquals(Math.round(orig[p] * 255f), img.getRaster().getSample(x0, y0, 0));
        assertEquals(Math.round(recon[p] * 255f), img.getRaster().getSample(x0, y0 + 56 + 2, 0));
    }

    @Test
    void gridFromNd4jBatchClipsValues() throws IOException {
        ImageDataset d = SyntheticImages.generate(5, 2, 4);
        try (INDArray x = d.batch(new int[] {0, 1, 2, 3, 4}); INDArray r = x.mul(3).sub(1)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageArtifacts.writeReconstructionGrid(x, r, 8, 3, out);
            BufferedImage img = decode(out.toByteArray());
            assertEquals(5 * 84 + 6 * 3, img.getWidth());
            assertEquals(2 * 84 + 3 * 3, img.getHeight());
            assertTrue(distinctColours(img) > 20);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ImageArtifacts.reconstructionGrid(new float[784], new float[783], 28, 28, 4, 2));
    }

    @Test
    void codeUsageChart() throws IOException {
        Random rng = new Random(2);
        CodebookUsage usage = new CodebookUsage(1024);
        int[] idx = new int[20000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (int) Math.min(1023, Math.abs(rng.nextGaussian() * 60));
        }
        usage.add(idx);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageArtifacts.writeCodeUsageChart(usage, "Vanilla VQ, K = 1024: code usage", out);
        BufferedImage img = decode(out.toByteArray());
        assertEquals(ImageArtifacts.CHART_WIDTH, img.getWidth());
        assertEquals(ImageArtifacts.CHART_HEIGHT, img.getHeight());
        assertTrue(distinctColours(img) > 10, "the chart must not be blank");
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void degenerateUsageStillRenders() throws IOException {
        for (long[] counts : new long[][] {{0, 0, 0, 0}, {0, 17, 0, 0}, {5}, {3, 3, 3, 3}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageArtifacts.writeCodeUsageChart(counts, "degenerate", out);
            BufferedImage img = decode(out.toByteArray());
            assertEquals(ImageArtifacts.CHART_WIDTH, img.getWidth());
            assertTrue(distinctColours(img) > 5);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageArtifacts.codeUsageChart(new long[0], "x"));
        assertThrows(IllegalArgumentException.class, () -> ImageArtifacts.codeUsageChart(new long[] {-1}, "x"));
    }
}
