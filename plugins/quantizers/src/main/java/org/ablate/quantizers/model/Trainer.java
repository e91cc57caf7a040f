package org.ablate.quantizers.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.TrainingSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One optimisation step of the VQ autoencoder: evaluate zPre, pick codes outside the graph, train
 * the graph one step with q fed in (SameDiff's fit: Adam on the encoder, decoder and in-graph
 * quantizer parts; the loss terms come out of that pass), then let the quantizer update its
 * codebook from the codebook term. The encoder runs twice (for zPre, and inside fit): the search
 * sits between encoder and decoder and SameDiff's fit cannot pause there; the encoder is ~1/6 of
 * the forward FLOPs.
 */
public final class Trainer {

    private final Autoencoder model;
    private final QuantizerState quantizer;
    private final List<String> terms;
    private final LossTerms lossTerms;
    private final StepPhases phases = new StepPhases();
    /** SameDiff's training session, kept from the second step on (see {@link #fit}). */
    private TrainingSession session;
    private Set<String> trainable;
    /** Whether fit computes every loss term's value (null until the first measured step). */
    private Boolean fitDeliversTerms;
    private long step;

    public Trainer(Autoencoder model, QuantizerState quantizer, double learningRate) {
        this.model = model;
        this.quantizer = quantizer;
        Nd4jStdout.install();
        model.graph().setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(learningRate))
                .dataSetFeatureMapping(Autoencoder.X, Autoencoder.Q)
                .markLabelsUnused()
                .minimize(Autoencoder.LOSS)
                .build());
        List<String> names = new ArrayList<>(List.of(Autoencoder.LOSS_RECON));
        if (model.hasCommitment()) {
            names.add(Autoencoder.LOSS_COMMIT);
        }
        if (model.hasExtraLoss()) {
            names.add(Autoencoder.LOSS_EXTRA);
        }
        this.terms = List.copyOf(names);
        this.lossTerms = new LossTerms(terms);
    }

    public Autoencoder model() {
        return model;
    }

    public QuantizerState quantizer() {
        return quantizer;
    }

    /** Wall time per phase of the steps run so far. */
    public StepPhases phases() {
        return phases;
    }

    /** Runs one step on a batch x [B, 1, 28, 28], measuring every loss term. */
    public TrainStep step(INDArray x) {
        return step(x, true);
    }

    /**
     * Runs one step. With {@code measure}, the loss terms are read from the training pass itself
     * (at the parameters the step starts from; no extra forward pass); without, divergence is
     * still caught through the codebook term (a NaN encoder makes it NaN) or at the next measured step.
     */
    public TrainStep step(INDArray x, boolean measure) {
        SameDiff sd = model.graph();
        long t0 = System.nanoTime();
        INDArray zPre = sd.output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
        long t1 = System.nanoTime();
        phases.add(StepPhases.Phase.ENCODER, t1 - t0);
        try (Assignment a = quantizer.assign(zPre)) {
            long t2 = System.nanoTime();
            phases.add(StepPhases.Phase.SEARCH, t2 - t1);
            MultiDataSet batch = new MultiDataSet(new INDArray[] {x, a.quantized()}, new INDArray[0]);
            double recon = Double.NaN;
            double commit = 0;
            double extra = 0;
            if (measure) {
                // SameDiff computes a loss term's value in fit only where the backward pass needs
                // it (not, e.g., FSQ's loss = identity(loss_recon)); the first measured step checks
                // that fit delivers every term, against a separate forward pass as before
                Map<String, Double> separate = fitDeliversTerms == Boolean.TRUE ? null : forwardTerms(x, a.quantized());
                lossTerms.clear();
                fit(batch, x, a.quantized(), lossTerms);
                if (fitDeliversTerms == null) {
                    fitDeliversTerms = terms.stream().allMatch(lossTerms::has);
                }
                ToDoubleFunction<String> value = separate == null ? lossTerms::get : separate::get;
                recon = value.applyAsDouble(Autoencoder.LOSS_RECON);
                commit = model.hasCommitment() ? value.applyAsDouble(Autoencoder.LOSS_COMMIT) : 0;
                extra = model.hasExtraLoss() ? value.applyAsDouble(Autoencoder.LOSS_EXTRA) : 0;
                // the terms are those of the parameters the step started from; a non-finite one
                // ends the trial before the codebook moves
                check("reconstruction loss", recon);
                check("commitment loss", commit);
                check("entropy loss", extra);
            } else {
                fit(batch, x, a.quantized(), null);
            }
            long t3 = System.nanoTime();
            phases.add(StepPhases.Phase.GRAPH_TRAINING, t3 - t2);
            // unmeasured steps still catch divergence: NaN weights make zPre, and so this term, NaN
            double codebook = quantizer.update(zPre, a);
            phases.add(StepPhases.Phase.CODEBOOK_UPDATE, System.nanoTime() - t3);
            check("codebook loss", codebook);
            step++;
            phases.stepDone();
            return new TrainStep(recon, codebook, commit, extra, a.indices(), quantizer.rowsChanged());
        } finally {
            zPre.close();
        }
    }

    /**
     * One training iteration. The first goes through SameDiff's fit, which sets training up (the
     * gradient function, Adam's state); later ones run the same iteration on one kept
     * TrainingSession, as fit does for the batches of one call. fit(batch) builds a new session
     * per call, and the process grew by gigabytes of native memory that way (5.3 GB after 150 steps
     * and still growing, against a flat 2.3 GB with the kept session). Same bits: the iteration
     * and epoch counters advance as fit advances them (TrainerDeterminismTest; simvq-quick).
     */
    private void fit(MultiDataSet batch, INDArray x, INDArray q, Listener listener) {
        SameDiff sd = model.graph();
        List<Listener> listeners = listener == null ? List.of() : List.of(listener);
        if (session == null) {
            sd.fit(batch, listeners.toArray(Listener[]::new));
            SameDiff gradient = sd.getFunction("grad");
            gradient.setTrainingConfig(sd.getTrainingConfig());
            session = new TrainingSession(gradient);
            trainable = new HashSet<>();
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    trainable.add(v.name());
                }
            }
            return;
        }
        TrainingConfig config = sd.getTrainingConfig();
        At at = new At(config.getEpochCount(), config.getIterationCount(), 0, Thread.currentThread().getId(), null,
                Operation.TRAINING);
        Map<String, INDArray> placeholders = new HashMap<>();
        placeholders.put(Autoencoder.X, x);
        placeholders.put(Autoencoder.Q, q);
        session.trainingIteration(config, placeholders, trainable, sd.getUpdaterMap(), batch, sd.getLossVariables(),
                listeners, at);
        // as fit: the iteration count drives Adam's bias correction; each fit call is one epoch
        config.incrementIterationCount();
        config.incrementEpochCount();
    }

    /** The loss terms by a forward pass of their own, at the current parameters. */
    private Map<String, Double> forwardTerms(INDArray x, INDArray q) {
        Map<String, INDArray> out = model.graph().output(Map.of(Autoencoder.X, x, Autoencoder.Q, q), terms);
        Map<String, Double> values = new HashMap<>();
        out.forEach((name, v) -> values.put(name, v.getDouble(0)));
        return values;
    }

    /** The reconstruction [B, 1, 28, 28] and the codes chosen for a batch, without training. */
    public Reconstruction reconstruct(INDArray x) {
        SameDiff sd = model.graph();
        INDArray zPre = sd.output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
        try (Assignment a = quantizer.assign(zPre)) {
            INDArray recon = sd.output(Map.of(Autoencoder.X, x, Autoencoder.Q, a.quantized()), Autoencoder.RECON)
                    .get(Autoencoder.RECON);
            return new Reconstruction(recon, a.indices());
        } finally {
            zPre.close();
        }
    }

    /** A batch's reconstruction and code indices. */
    public record Reconstruction(INDArray images, int[] indices) {
    }

    public long steps() {
        return step;
    }

    private void check(String which, double value) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteLossException(step + 1, which, value); // steps count from 1, as in the metrics
        }
    }
}
