package org.ablate.quantizers.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.QuantizerState;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One optimisation step of the VQ autoencoder: evaluate zPre, pick codes outside the graph, train
 * the graph one step with q fed in (SameDiff's fit: Adam on the encoder, decoder and in-graph
 * quantizer parts), then let the quantizer update its codebook from the codebook term.
 */
public final class Trainer {

    private final Autoencoder model;
    private final QuantizerState quantizer;
    private final List<String> outputs;
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
        this.outputs = new ArrayList<>(List.of(Autoencoder.LOSS_RECON));
        if (model.hasCommitment()) {
            outputs.add(Autoencoder.LOSS_COMMIT);
        }
        if (model.hasExtraLoss()) {
            outputs.add(Autoencoder.LOSS_EXTRA);
        }
    }

    public Autoencoder model() {
        return model;
    }

    public QuantizerState quantizer() {
        return quantizer;
    }

    /** Runs one step on a batch x [B, 1, 28, 28], measuring every loss term. */
    public TrainStep step(INDArray x) {
        return step(x, true);
    }

    /**
     * Runs one step. With {@code measure}, the loss terms are evaluated (one more forward pass)
     * at the parameters the step starts from; without, divergence is still caught through the
     * codebook term (a NaN encoder makes it NaN) or at the next measured step.
     */
    public TrainStep step(INDArray x, boolean measure) {
        SameDiff sd = model.graph();
        INDArray zPre = sd.output(Map.of(Autoencoder.X, x), Autoencoder.Z_PRE).get(Autoencoder.Z_PRE);
        try (Assignment a = quantizer.assign(zPre)) {
            double recon = Double.NaN;
            double commit = 0;
            double extra = 0;
            if (measure) {
                Map<String, INDArray> feed = new HashMap<>();
                feed.put(Autoencoder.X, x);
                feed.put(Autoencoder.Q, a.quantized());
                Map<String, INDArray> losses = sd.output(feed, outputs);
                recon = losses.get(Autoencoder.LOSS_RECON).getDouble(0);
                commit = model.hasCommitment() ? losses.get(Autoencoder.LOSS_COMMIT).getDouble(0) : 0;
                extra = model.hasExtraLoss() ? losses.get(Autoencoder.LOSS_EXTRA).getDouble(0) : 0;
                check("reconstruction loss", recon);
                check("commitment loss", commit);
                check("entropy loss", extra);
            }
            sd.fit(new MultiDataSet(new INDArray[] {x, a.quantized()}, new INDArray[0]));
            // unmeasured steps still catch divergence: NaN weights make zPre, and so this term, NaN
            double codebook = quantizer.update(zPre, a);
            check("codebook loss", codebook);
            step++;
            return new TrainStep(recon, codebook, commit, extra, a.indices(), quantizer.rowsChanged());
        } finally {
            zPre.close();
        }
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
