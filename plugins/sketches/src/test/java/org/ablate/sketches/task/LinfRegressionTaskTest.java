package org.ablate.sketches.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.ablate.sketches.TestMatrices;
import org.ablate.sketches.instance.IllConditionedInstance;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Parameters;
import org.ablate.spi.SeedStreams;
import org.ablate.store.TrialFolder;
import org.ablate.testing.InProcessCli;
import org.ablate.testing.TrialRecords;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every logged draw of linf-regression recomputed independently (Commons Math QR and SVD) from the
 * trial's seed streams: eps_eff = ||x' − x*||∞·√d·σ_min(A)/||Ax* − b||, the ℓ2 error relative to
 * ||x*||, and ||Ax' − b|| / ||Ax* − b||. An ill-conditioned A (κ = 100) makes σ_min matter.
 */
class LinfRegressionTaskTest {

    @TempDir
    Path tmp;

    @Test
    void loggedDrawsMatchAnIndependentSketchAndSolve() throws Exception {
        int n = 600;
        int d = 6;
        int m = 48;
        long seed = 7;
        int draws = 5;
        String yaml = """
                name: recompute
                task: linf-regression
                params:
                  sketch: osnap
                  sketch.s: 2
                  instance: ill-conditioned
                  instance.kappa: 100.0
                  n: %d
                  d: %d
                  m: "8 * d"
                  noise: 0.5
                  draws: %d
                  epsilon: 0.5
                seeds: [%d]
                """.formatted(n, d, draws, seed);
        InProcessCli.Result run = InProcessCli.runYaml(tmp, "recompute", yaml);
        assertEquals(0, run.code(), run.toString());
        TrialFolder t = TrialRecords.trials(tmp.resolve("results"), "recompute").get(0);

        // the instance, from the trial's "instance" stream, solved by Commons Math
        DenseMatrix ab = new IllConditionedInstance(new Parameters(Map.of("kappa", 100.0))).generate(n, d, 0.5,
                new SplittableRandom(SeedStreams.derive(seed, "instance")));
        RealMatrix a = new Array2DRowRealMatrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                a.setEntry(i, j, ab.get(i, j));
            }
        }
        RealVector b = new ArrayRealVector(ab.column(d));
        RealVector xStar = new QRDecomposition(a).getSolver().solve(b);
        double residual = a.operate(xStar).subtract(b).getNorm();
        double[] sv = new SingularValueDecomposition(a).getSingularValues();
        double sigmaMin = sv[d - 1];
        assertEquals(100.0, sv[0] / sigmaMin, 1e-6);
        assertEquals(sigmaMin, TrialRecords.summary(t, "sigma_min"), 1e-9 * sigmaMin);
        assertEquals(100.0, TrialRecords.summary(t, "condition_number"), 1e-6);
        assertEquals(m, TrialRecords.summary(t, "m"));

        Map<Long, Double> eps = TrialRecords.metric(t, "draw/eps_eff");
        Map<Long, Double> l2 = TrialRecords.metric(t, "draw/l2_rel");
        Map<Long, Double> ratio = TrialRecords.metric(t, "draw/residual_ratio");
        SketchInput input = new SketchInput(ab);
        TestMatrices.Family osnap = new TestMatrices.Family("osnap",
                new org.ablate.sketches.family.OsnapSketch(new Parameters(Map.of("s", 2L))));
        for (int j = 0; j < draws; j++) {
            DenseMatrix sab = osnap.apply(input, m, SeedStreams.derive(seed, "draw-" + j));
            RealMatrix sa = new Array2DRowRealMatrix(m, d);
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < d; c++) {
                    sa.setEntry(i, c, sab.get(i, c));
                }
            }
            RealVector x = new QRDecomposition(sa).getSolver().solve(new ArrayRealVector(sab.column(d)));
            RealVector diff = x.subtract(xStar);
            double expectedEps = diff.getLInfNorm() * Math.sqrt(d) * sigmaMin / residual;
            assertEquals(expectedEps, eps.get((long) j), 1e-6 * expectedEps, "eps_eff of draw " + j);
            assertEquals(diff.getNorm() / xStar.getNorm(), l2.get((long) j), 1e-6 * l2.get((long) j), "l2_rel of draw " + j);
            double expectedRatio = a.operate(x).subtract(b).getNorm() / residual;
            assertEquals(expectedRatio, ratio.get((long) j), 1e-9, "residual_ratio of draw " + j);
            assertTrue(expectedRatio >= 1, "x* minimises the residual");
        }
    }
}
