package org.ablate.sketches;

import org.ablate.sketches.bench.SketchesBenchmark;
import org.ablate.sketches.family.CountSketch;
import org.ablate.sketches.family.GaussianSketch;
import org.ablate.sketches.family.LeverageSampling;
import org.ablate.sketches.family.OsnapSketch;
import org.ablate.sketches.family.RademacherSketch;
import org.ablate.sketches.family.SrhtSketch;
import org.ablate.sketches.family.UniformSampling;
import org.ablate.sketches.instance.CoherentInstance;
import org.ablate.sketches.instance.CountSketchHardInstance;
import org.ablate.sketches.instance.GaussianInstance;
import org.ablate.sketches.instance.HeavyTailedInstance;
import org.ablate.sketches.instance.IllConditionedInstance;
import org.ablate.sketches.instance.SamplingHardInstance;
import org.ablate.sketches.spi.RegressionInstance;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.task.LinfRegressionTask;
import org.ablate.sketches.task.MinRowsTask;
import org.ablate.spi.AbstractPlugin;
import org.ablate.spi.Benchmark;
import org.ablate.spi.ParameterSchema;

/** Sketch-and-solve regression: sketch families, instance families, the ℓ∞ tasks and a benchmark. */
public final class SketchesPlugin extends AbstractPlugin {

    @Override
    public String name() {
        return "sketches";
    }

    @Override
    protected void configure() {
        ParameterSchema none = ParameterSchema.empty();
        registerComponent(Sketch.class, "gaussian", "Dense: i.i.d. N(0, 1/m) entries, formed in column blocks with gemm.", none, GaussianSketch.class);
        registerComponent(Sketch.class, "rademacher", "Dense: i.i.d. ±1/√m entries (AMS), formed in column blocks with gemm.", none, RademacherSketch.class);
        registerComponent(Sketch.class, "srht", "Dense: random signs, in-place FWHT, m rows sampled without replacement, scaled √(N/m).", none, SrhtSketch.class);
        registerComponent(Sketch.class, "countsketch", "Sparse: one ±1 per column of S at a hashed row (one pass over A).", none, CountSketch.class);
        registerComponent(Sketch.class, "osnap", "Sparse: s nonzeros ±1/√s per column of S, one per row block (one pass over A).", OsnapSketch.SCHEMA, OsnapSketch.class);
        registerComponent(Sketch.class, "leverage", "Sparse: rows sampled by exact leverage scores (thin QR), rescaled.", none, LeverageSampling.class);
        registerComponent(Sketch.class, "uniform", "Sparse: rows sampled uniformly, rescaled by √(n/m).", none, UniformSampling.class);

        registerComponent(RegressionInstance.class, "gaussian", "A with i.i.d. N(0,1) entries; b = A x0 + r, r ⟂ col(A).", none, GaussianInstance.class);
        registerComponent(RegressionInstance.class, "coherent", "Gaussian A with a few rows scaled up (high leverage).", CoherentInstance.SCHEMA, CoherentInstance.class);
        registerComponent(RegressionInstance.class, "heavy-tailed", "Rows of A multivariate Student-t.", HeavyTailedInstance.SCHEMA, HeavyTailedInstance.class);
        registerComponent(RegressionInstance.class, "ill-conditioned", "A = U Σ Vᵀ with geometric singular values (condition number kappa).", IllConditionedInstance.SCHEMA, IllConditionedInstance.class);
        registerComponent(RegressionInstance.class, "countsketch-hard", "A = [I_d; 0], b = e_n: Count-Sketch fails when row n collides.", none, CountSketchHardInstance.class);
        registerComponent(RegressionInstance.class, "sampling-hard", "Stacked copies of I_d with a residual spike on one row.", none, SamplingHardInstance.class);

        registerTask("linf-regression", "Sketch-and-solve regression: eps_eff distribution over draws against the l-infinity guarantee.",
                LinfRegressionTask.SCHEMA, LinfRegressionTask.METRICS, LinfRegressionTask.class);
        registerTask("linf-min-m", "The smallest m whose failure rate at epsilon reaches a target (bisection over a geometric grid).",
                MinRowsTask.SCHEMA, MinRowsTask.METRICS, MinRowsTask.class);
        registerComponent(Benchmark.class, "sketches", "Time to form SA per family and GB/s of A read, against a memory-read baseline and dgemm.",
                SketchesBenchmark.SCHEMA, SketchesBenchmark.class);
    }
}
