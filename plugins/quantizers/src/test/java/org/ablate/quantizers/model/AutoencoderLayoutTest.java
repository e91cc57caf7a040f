package org.ablate.quantizers.model;

import static org.ablate.quantizers.quantizer.QuantizerFixtures.setup;
import static org.ablate.quantizers.quantizer.QuantizerFixtures.toDouble;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ablate.quantizers.data.SyntheticImages;
import org.ablate.quantizers.quantizer.VanillaVq;
import org.ablate.quantizers.spi.QuantizerState;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tokens are image-major: rows b·49 … b·49 + 48 of q feed exactly image b's reconstruction, in both architectures. */
class AutoencoderLayoutTest {

    private static final int D = 4;

    @Test
    void eachImageIsReconstructedFromItsOwn49Tokens() {
        INDArray x = SyntheticImages.generate(2, 3, 1).batch(new int[] {0, 1});
        for (Autoencoder.Architecture arch : Autoencoder.Architecture.values()) {
            QuantizerState q = new VanillaVq().create(setup(D, 8, 0.25, 1e-2, 1));
            Autoencoder m = AutoencoderGradientTest.build(arch, D, q, 0.25, 3);
            INDArray zPre = m.graph().output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
            assertArrayEquals(new long[] {2 * Autoencoder.TOKENS, D}, zPre.shape(), arch.toString());
            INDArray codes = zPre.dup(); // q = zPre: the decoder sees the encoder's output
            double[][] base = images(m, x, codes);
            INDArray changed = codes.dup();
            for (int t = Autoencoder.TOKENS; t < 2 * Autoencoder.TOKENS; t++) {
                for (int j = 0; j < D; j++) {
                    changed.putScalar(t, j, changed.getDouble(t, j) + 3.0);
                }
            }
            double[][] after = images(m, x, changed);
            assertArrayEquals(base[0], after[0], 0.0, arch + ": image 0 does not depend on image 1's tokens");
            double diff = 0;
            for (int p = 0; p < 784; p++) {
                diff = Math.max(diff, Math.abs(base[1][p] - after[1][p]));
            }
            assertTrue(diff > 1e-3, arch + ": image 1 changes with its tokens (" + diff + ")");
            double commit = m.graph().output(Map.of(Autoencoder.X, x, Autoencoder.Q, codes), Autoencoder.LOSS_COMMIT)
                    .get(Autoencoder.LOSS_COMMIT).getDouble(0);
            assertEquals(0.0, commit, 0.0, arch + ": q = zPre has no commitment loss");
        }
    }

    /** In the conv model token r·7 + c of an image is grid cell (r, c): local in the input and in the output. */
    @Test
    void convTokensAreGridCellsInRowMajorOrder() {
        INDArray x = SyntheticImages.generate(1, 3, 2).batch(new int[] {0});
        QuantizerState q = new VanillaVq().create(setup(D, 8, 0.25, 1e-2, 1));
        Autoencoder m = AutoencoderGradientTest.build(Autoencoder.Architecture.CONV, D, q, 0.25, 3);
        INDArray codes = m.graph().output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
        double[][] z0 = toDouble(codes);
        // the bottom-left input pixel (27, 0) reaches only bottom-left tokens (two stride-2 3 × 3 convs)
        INDArray corner = x.dup();
        corner.putScalar(new long[] {0, 0, 27, 0}, corner.getDouble(0, 0, 27, 0) + 5.0);
        double[][] z1 = toDouble(m.graph().output(Map.of(Autoencoder.X, corner), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE));
        for (int t = 0; t < Autoencoder.TOKENS; t++) {
            boolean moved = !java.util.Arrays.equals(z0[t], z1[t]);
            boolean near = t / 7 >= 5 && t % 7 <= 1;
            assertTrue(!moved || near, "token " + t + " (cell " + t / 7 + ", " + t % 7 + ") moved with pixel (27, 0)");
        }
        assertTrue(!java.util.Arrays.equals(z0[42], z1[42]), "token 42 = cell (6, 0) sees pixel (27, 0)");
        // token (r, c) reaches only pixels within rows and columns [4r − 7, 4r + 10] × [4c − 7, 4c + 10]
        // of the reconstruction (3 × 3 convs around two 2× upsamplings)
        double[][] base = images(m, x, codes, 1);
        for (int token : new int[] {0, 6, 42, 24}) {
            INDArray changed = codes.dup();
            for (int j = 0; j < D; j++) {
                changed.putScalar(token, j, changed.getDouble(token, j) + 3.0);
            }
            double[][] after = images(m, x, changed, 1);
            int r = token / 7;
            int c = token % 7;
            double inside = 0;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int col = p % 28;
                boolean reach = row >= 4 * r - 7 && row <= 4 * r + 10 && col >= 4 * c - 7 && col <= 4 * c + 10;
                if (reach) {
                    inside = Math.max(inside, Math.abs(base[0][p] - after[0][p]));
                } else {
                    assertEquals(base[0][p], after[0][p], 0.0, "pixel (" + row + ", " + col + ") is outside token " + token + "'s reach");
                }
            }
            assertTrue(inside > 1e-4, "token " + token + " changes its own region: " + inside);
        }
    }

    private static double[][] images(Autoencoder m, INDArray x, INDArray q) {
        return images(m, x, q, 2);
    }

    private static double[][] images(Autoencoder m, INDArray x, INDArray q, int count) {
        INDArray r = m.graph().output(Map.of(Autoencoder.X, x, Autoencoder.Q, q), Autoencoder.RECON).get(Autoencoder.RECON);
        return toDouble(r.reshape(count, 784));
    }
}
