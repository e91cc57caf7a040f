package org.ablate.sketches.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ablate.sketches.TestMatrices;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** QR least squares on [A | b] against Commons Math, and its rank and shape checks. */
class LeastSquaresTest {

    private static RealMatrix aOf(DenseMatrix ab, int d) {
        RealMatrix a = new Array2DRowRealMatrix(ab.rows(), d);
        for (int i = 0; i < ab.rows(); i++) {
            for (int j = 0; j < d; j++) {
                a.setEntry(i, j, ab.get(i, j));
            }
        }
        return a;
    }

    @Test
    void matchesCommonsMathQrOnARandomOverdeterminedProblem() {
        int n = 300;
        int d = 7;
        DenseMatrix ab = TestMatrices.gaussian(n, d + 1, 11);
        RealMatrix a = aOf(ab, d);
        RealVector b = new ArrayRealVector(ab.column(d));
        double[] expected = new QRDecomposition(a).getSolver().solve(b).toArray();

        LeastSquares.Solution s = LeastSquares.solve(ab, d);
        assertArrayEquals(expected, s.x(), 1e-10);

        // the residual norm from R's corner equals ||Ax − b|| computed directly
        double direct = a.operate(new ArrayRealVector(s.x())).subtract(b).getNorm();
        assertEquals(direct, s.residualNorm(), 1e-10 * direct);
        // a Gaussian b is far from col(A): the residual is about sqrt(n − d) · 1
        assertTrue(direct > 10, "residual " + direct);

        // σ_max, σ_min of A, and R is A's factor: ||R v|| = ||A v||
        double[] sv = new SingularValueDecomposition(a).getSingularValues();
        assertEquals(sv[0], s.sigmaMax(), 1e-10 * sv[0]);
        assertEquals(sv[d - 1], s.sigmaMin(), 1e-10 * sv[0]);
        double[] v = {1, -2, 3, 0.5, 0, -1, 2};
        assertEquals(a.operate(new ArrayRealVector(v)).getNorm(), LeastSquares.normOfProduct(s.r(), v), 1e-9);
    }

    /**
     * Beyond 128 columns LAPACK's QR takes its blocked path, where the OpenBLAS that ND4J bundles
     * returned a wrong R on this project's AVX-512 machine (every d = 128 exact solution was off):
     * whatever the BLAS does, the solution must satisfy the normal equations and agree with Commons Math.
     */
    @Test
    void aProblemOfMoreThan128ColumnsIsSolvedCorrectly() {
        int n = 400;
        int d = 140;
        DenseMatrix ab = TestMatrices.gaussian(n, d + 1, 5);
        RealMatrix a = aOf(ab, d);
        RealVector b = new ArrayRealVector(ab.column(d));
        double[] expected = new QRDecomposition(a).getSolver().solve(b).toArray();

        LeastSquares.Solution s = LeastSquares.solve(ab, d);
        assertArrayEquals(expected, s.x(), 1e-8);
        RealVector residual = a.operate(new ArrayRealVector(s.x())).subtract(b);
        assertEquals(residual.getNorm(), s.residualNorm(), 1e-9 * residual.getNorm());
        assertTrue(a.transpose().operate(residual).getLInfNorm() < 1e-8 * residual.getNorm() * s.sigmaMax(),
                "A^T r = " + a.transpose().operate(residual).getLInfNorm());

        // leverage scores: the diagonal of A (A^T A)^-1 A^T, which sum to d
        double[] scores = LeastSquares.leverageScores(ab, d);
        RealMatrix q = new QRDecomposition(a).getQ().getSubMatrix(0, n - 1, 0, d - 1);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(q.getRowVector(i).dotProduct(q.getRowVector(i)), scores[i], 1e-9, "row " + i);
            sum += scores[i];
        }
        assertEquals(d, sum, 1e-8);
    }

    @Test
    void aWrongTriangularFactorFailsTheCheckAndARightOnePasses() {
        DenseMatrix m = TestMatrices.gaussian(60, 9, 3);
        double[][] r = LeastSquares.javaTriangularFactor(m);
        assertTrue(LeastSquares.factorMatches(m, r));
        r[4][7] += 1e-3;
        assertTrue(!LeastSquares.factorMatches(m, r), "a perturbed R passed the check");
    }

    @Test
    void aConsistentSystemHasZeroResidualToRounding() {
        int n = 50;
        int d = 4;
        DenseMatrix ab = TestMatrices.gaussian(n, d + 1, 5);
        double[] x0 = {1.5, -2, 0.25, 3};
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += ab.get(i, j) * x0[j];
            }
            ab.set(i, d, s);
        }
        LeastSquares.Solution s = LeastSquares.solve(ab, d);
        assertArrayEquals(x0, s.x(), 1e-12);
        assertTrue(s.residualNorm() < 1e-12, "residual " + s.residualNorm());
    }

    @Test
    void backSubstitutionSolvesAnUpperTriangularSystem() {
        double[][] r = {{2, 1, -1}, {0, 3, 2}, {0, 0, 4}};
        double[] x = LeastSquares.backSubstitute(r, new double[] {2 + 1 - 3, 3 + 6, 12});
        assertArrayEquals(new double[] {1, 1, 3}, x, 1e-15);
    }

    @Test
    void aRankDeficientMatrixIsRejectedWithItsRatio() {
        // two equal columns
        DenseMatrix ab = TestMatrices.gaussian(40, 4, 3);
        for (int i = 0; i < 40; i++) {
            ab.set(i, 2, ab.get(i, 0));
        }
        LeastSquares.RankDeficientException e = assertThrows(LeastSquares.RankDeficientException.class,
                () -> LeastSquares.solve(ab, 3));
        assertTrue(e.getMessage().startsWith("A is rank-deficient: sigma_min/sigma_max = "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(below 1.0E-12)"), e.getMessage());
        // and it is an IllegalArgumentException, as the tasks expect
        assertTrue(e instanceof IllegalArgumentException);
    }

    @Test
    void anAllZeroColumnIsRankDeficient() {
        DenseMatrix ab = TestMatrices.gaussian(20, 3, 4);
        for (int i = 0; i < 20; i++) {
            ab.set(i, 1, 0.0);
        }
        assertThrows(LeastSquares.RankDeficientException.class, () -> LeastSquares.solve(ab, 2));
    }

    @Test
    void fewerRowsThanUnknownsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.solve(TestMatrices.gaussian(3, 6, 1), 5));
        assertEquals("least squares needs at least d = 5 rows, got 3", e.getMessage());
    }

    /**
     * BUG (reported, not fixed): m = d is allowed by the tasks ("m must be at least d";
     * linf-dense-vs-sparse.yaml sweeps m = "d"), but a square d × (d+1) [SA | Sb] makes
     * {@code triangularFactor} ask ND4J's geqrf for a d × (d+1) R, and ND4J throws
     * {@code java.lang.Error: geqrf: R must be N x N (n = columns in A)} (an Error, not caught by
     * LinfProblem.draw). Expected: x = A⁻¹b with residual 0.
     */
    @Test
    void aSquareSystemIsSolvedExactly() {
        int d = 4;
        DenseMatrix ab = TestMatrices.gaussian(d, d + 1, 3);
        RealMatrix a = aOf(ab, d);
        double[] expected = new QRDecomposition(a).getSolver().solve(new ArrayRealVector(ab.column(d))).toArray();
        LeastSquares.Solution s = LeastSquares.solve(ab, d);
        assertArrayEquals(expected, s.x(), 1e-10);
        assertEquals(0.0, s.residualNorm(), 1e-12);
    }

    @Test
    void leverageScoresMatchTheRowNormsOfAnOrthonormalBasis() {
        int n = 120;
        int d = 5;
        DenseMatrix ab = TestMatrices.gaussian(n, d + 1, 8);
        double[] scores = LeastSquares.leverageScores(ab, d);
        // Q from Commons Math's QR of A: ℓ_i = ||Q_i,1..d||²
        RealMatrix q = new QRDecomposition(aOf(ab, d)).getQ();
        double total = 0;
        for (int i = 0; i < n; i++) {
            double expected = 0;
            for (int j = 0; j < d; j++) {
                expected += q.getEntry(i, j) * q.getEntry(i, j);
            }
            assertEquals(expected, scores[i], 1e-12, "row " + i);
            total += scores[i];
        }
        assertEquals(d, total, 1e-10);
        // the last column (b) plays no part
        DenseMatrix changed = TestMatrices.hstack(aOf2(ab, d), TestMatrices.gaussian(n, 1, 99));
        assertArrayEquals(scores, LeastSquares.leverageScores(changed, d), 1e-13);
    }

    private static DenseMatrix aOf2(DenseMatrix ab, int d) {
        return ab.leftColumns(d);
    }
}
