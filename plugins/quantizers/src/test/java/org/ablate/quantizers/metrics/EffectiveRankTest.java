package org.ablate.quantizers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EffectiveRankTest {

    @Test
    void diagonalWithOneZero() {
        double[][] m = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 0}};
        assertEquals(3.0, EffectiveRank.of(m), 1e-12);
    }

    @Test
    void rankOneMatrix() {
        Random rng = new Random(5);
        double[] u = new double[6];
        double[] v = new double[4];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextGaussian();
        }
        for (int j = 0; j < v.length; j++) {
            v[j] = rng.nextGaussian();
        }
        double[][] m = new double[6][4];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                m[i][j] = u[i] * v[j];
            }
        }
        assertEquals(1.0, EffectiveRank.of(m), 1e-9);
    }

    @Test
    void orthogonalAndIdentityHaveFullEffectiveRank() {
        double[][] id = new double[16][16];
        for (int i = 0; i < 16; i++) {
            id[i][i] = 2.5;
        }
        assertEquals(16.0, EffectiveRank.of(id), 1e-10);
    }

    @Test
    void unevenSingularValuesFromTheDefinition() {
        double[][] m = {{1, 0}, {0, 0.01}};
        double p1 = 1 / 1.01;
        double p2 = 0.01 / 1.01;
        double expected = Math.exp(-(p1 * Math.log(p1) + p2 * Math.log(p2)));
        assertEquals(expected, EffectiveRank.of(m), 1e-12);
        assertEquals(1.0571, expected, 1e-4);
        // Singular values, not eigenvalues: a rotation of diag(3, 1) has the same effective rank.
        double c = Math.cos(0.7);
        double s = Math.sin(0.7);
        double[][] rotated = {{3 * c, -s}, {3 * s, c}};
        double q1 = 0.75;
        double q2 = 0.25;
        assertEquals(Math.exp(-(q1 * Math.log(q1) + q2 * Math.log(q2))), EffectiveRank.of(rotated), 1e-12);
    }

    @Test
    void rectangularAndNd4j() {
        double[][] wide = {{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}};
        assertEquals(2.0, EffectiveRank.of(wide), 1e-12);
        try (INDArray a = Nd4j.createFromArray(new float[][] {{0, 2, 0}, {0, 0, 2}, {0, 0, 0}, {2, 0, 0}})) {
            assertEquals(3.0, EffectiveRank.of(a), 1e-6);
        }
        try (INDArray g = Nd4j.rand(DataType.DOUBLE, 8, 8)) {
            assertEquals(EffectiveRank.of(g.toDoubleMatrix()), EffectiveRank.of(g), 0);
        }
        try (INDArray v = Nd4j.ones(DataType.FLOAT, 3)) {
            assertThrows(IllegalArgumentException.class, () -> EffectiveRank.of(v));
        }
    }

    @Test
    void zeroMatrixAndSingularValueInput() {
        assertEquals(0.0, EffectiveRank.of(new double[3][3]));
        assertEquals(2.0, EffectiveRank.ofSingularValues(new double[] {0, 4, 4}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> EffectiveRank.ofSingularValues(new double[] {-1, 2}));
    }
}
