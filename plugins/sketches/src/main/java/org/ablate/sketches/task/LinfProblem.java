package org.ablate.sketches.task;

import java.util.Map;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.linalg.LeastSquares;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.Expressions;
import org.ablate.spi.Param;
import org.ablate.spi.Parameters;
import org.ablate.spi.TrialContext;

/**
 * One regression instance with its exact solution, and the evaluation of a sketch-and-solve draw
 * against it: ε_eff = ||x' − x*||∞ · √d / (||Ax* − b|| · ||A†||₂), with ||A†||₂ = 1/σ_min(A).
 */
final class LinfProblem {

    /** The parameters the regression tasks share. */
    static Param[] commonParameters() {
        return new Param[] {
            Param.component("sketch", Sketch.class).defaultValue("gaussian").doc("The sketch family."),
            Param.component("instance", RegressionInstance.class).defaultValue("gaussian").doc("The instance family."),
            Param.integer("n").defaultValue(16384).range(2, 1 << 26).doc("Rows of A."),
            Param.integer("d").defaultValue(32).range(1, 4096).doc("Columns of A."),
            Param.real("noise").defaultValue(1.0).range(0, 1e6).doc("||r|| / ||A x0|| for b = A x0 + r, r ⟂ col(A)."),
            Param.integer("draws").defaultValue(20).range(1, 1_000_000).doc("Independent sketches of the same instance."),
            Param.real("epsilon").defaultValue(0.5).range(1e-9, 1e9).doc("Target: a draw fails when ε_eff > epsilon."),
        };
    }

    final SketchInput input;
    final LeastSquares.Solution exact;
    final double xNorm;
    final int n;
    final int d;

    private LinfProblem(SketchInput input, LeastSquares.Solution exact) {
        this.input = input;
        this.exact = exact;
        this.n = input.n();
        this.d = input.d();
        this.xNorm = norm(exact.x());
    }

    /** Generates the instance from the trial's "instance" stream and solves it exactly. */
    static LinfProblem create(TrialContext context) {
        Parameters p = context.params();
        int n = p.getInt("n");
        int d = p.getInt("d");
        if (n < d) {
            throw new IllegalArgumentException("n = " + n + " must be at least d = " + d + " (an overdetermined regression)");
        }
        RegressionInstance family = context.component("instance", RegressionInstance.class);
        DenseMatrix ab = family.generate(n, d, p.getDouble("noise"), context.random("instance"));
        if (!ab.allFinite()) {
            throw new IllegalStateException("instance '" + p.getString("instance") + "' generated a non-finite value (NaN or infinity)");
        }
        LeastSquares.Solution exact = LeastSquares.solve(ab, d);
        // b in col(A) up to rounding: the residual is then noise, and eps_eff a ratio of rounding errors
        if (!(exact.residualNorm() > 1e-10 * LinfProblem.norm(ab.column(d)))) {
            throw new IllegalArgumentException("||Ax* - b|| = 0, so eps_eff is undefined; use noise > 0 (instance '"
                    + p.getString("instance") + "')");
        }
        return new LinfProblem(new SketchInput(ab), exact);
    }

    /** The row count from an EXPRESSION parameter in n and d, rounded up; at least d. */
    int rows(Object expression, String key) {
        double value;
        try {
            value = Expressions.evaluate(expression, Map.of("n", (double) n, "d", (double) d));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + " = " + expression + " cannot be evaluated: " + e.getMessage(), e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " = " + expression + " evaluates to " + value);
        }
        long m = (long) Math.ceil(value - 1e-9);
        if (m < d) {
            throw new IllegalArgumentException(key + " = " + expression + " gives m = " + m
                    + " rows, fewer than the d = " + d + " unknowns (m must be at least d)");
        }
        if (m > Integer.MAX_VALUE / (d + 1)) {
            throw new IllegalArgumentException(key + " = " + expression + " gives m = " + m + ", too many rows");
        }
        return (int) m;
    }

    /** One draw: sketch, solve, compare. A rank-deficient SA fails the draw (ε_eff = ∞). */
    Draw draw(Sketch sketch, int m, long seed) {
        long t0 = System.nanoTime();
        DenseMatrix sketched = sketch.apply(input, m, seed);
        long t1 = System.nanoTime();
        double sketchMs = (t1 - t0) / 1e6;
        LeastSquares.Solution approx;
        try {
            approx = LeastSquares.solve(sketched, d);
        } catch (LeastSquares.RankDeficientException e) {
            return new Draw(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                    sketchMs, (System.nanoTime() - t1) / 1e6, true);
        }
        double solveMs = (System.nanoTime() - t1) / 1e6;
        double[] diff = new double[d];
        double inf = 0;
        for (int i = 0; i < d; i++) {
            diff[i] = approx.x()[i] - exact.x()[i];
            inf = Math.max(inf, Math.abs(diff[i]));
        }
        double residual = exact.residualNorm();
        double epsEff = inf * Math.sqrt(d) * exact.sigmaMin() / residual;
        // x* = 0 (e.g. countsketch-hard): relative to the scale ||r||·||A†|| instead of ||x*||
        double l2Rel = norm(diff) / (xNorm > 0 ? xNorm : residual / exact.sigmaMin());
        // ||Ax' − b||² = ||Ax* − b||² + ||A(x' − x*)||², as the residual is orthogonal to col(A)
        double extra = LeastSquares.normOfProduct(exact.r(), diff);
        double residualRatio = Math.sqrt(residual * residual + extra * extra) / residual;
        return new Draw(epsEff, l2Rel, residualRatio, sketchMs, solveMs, false);
    }

    /** What one draw measured. */
    record Draw(double epsEff, double l2Rel, double residualRatio, double sketchMs, double solveMs,
                boolean rankDeficient) {
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

}
