package org.ablate.quantizers.model;

import java.util.SplittableRandom;
import org.ablate.quantizers.spi.QuantizerState;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VQ autoencoder as a SameDiff graph: 28×28 images → a 7×7 grid of d-dimensional latents
 * (49 tokens per image) → quantizer (graph part) → decoder → 28×28 reconstruction.
 *
 * <p>Placeholders: {@code x} [B, 1, 28, 28] and {@code q} [B·49, codeDim], the codes chosen
 * outside the graph. Outputs: {@code z_pre}, {@code recon}, {@code loss_recon} (MSE),
 * {@code loss_commit} = β·mean((sg(q) − zPre)²) (q is a placeholder, so no gradient reaches it),
 * {@code loss_extra} where the quantizer has one, and {@code loss}, their sum. The decoder sees
 * z_q = zPre + sg(q − zPre): the straight-through estimator.
 */
public final class Autoencoder {

    public static final int TOKENS = 49;
    public static final String X = "x";
    public static final String Q = "q";
    public static final String Z = "z";
    public static final String Z_PRE = "z_pre";
    public static final String DECODER_INPUT = "decoder_input";
    public static final String RECON = "recon";
    public static final String LOSS_RECON = "loss_recon";
    public static final String LOSS_COMMIT = "loss_commit";
    public static final String LOSS_EXTRA = "loss_extra";
    public static final String LOSS = "loss";

    /** Encoder/decoder shape. */
    public enum Architecture { CONV, MLP }

    private final SameDiff sd;
    private final boolean hasExtraLoss;
    private final boolean hasCommitment;

    private Autoencoder(SameDiff sd, boolean hasExtraLoss, boolean hasCommitment) {
        this.sd = sd;
        this.hasExtraLoss = hasExtraLoss;
        this.hasCommitment = hasCommitment;
    }

    public static Autoencoder build(Architecture architecture, int latentDim, QuantizerState quantizer, double beta, long seed) {
        SameDiff sd = SameDiff.create();
        Init init = new Init(new SplittableRandom(seed));
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, 1, 28, 28);
        SDVariable z = (architecture == Architecture.CONV ? convEncoder(sd, x, latentDim, init) : mlpEncoder(sd, x, latentDim, init))
                .rename(Z);
        SDVariable zPre = sd.identity(Z_PRE, quantizer.preQuantize(sd, z));
        SDVariable q = sd.placeHolder(Q, DataType.FLOAT, -1, quantizer.codeDim());
        SDVariable zq = zPre.add(new StopGradient(sd, q.sub(zPre)).outputVariable());
        SDVariable decoderInput = sd.identity(DECODER_INPUT, quantizer.postQuantize(sd, zq));
        SDVariable recon = (architecture == Architecture.CONV ? convDecoder(sd, decoderInput, latentDim, init)
                : mlpDecoder(sd, decoderInput, latentDim, init)).rename(RECON);
        SDVariable diff = recon.sub(x);
        SDVariable lossRecon = diff.mul(diff).mean().rename(LOSS_RECON);
        SDVariable loss = lossRecon;
        if (quantizer.commitment()) {
            SDVariable gap = q.sub(zPre);
            SDVariable commit = gap.mul(gap).mean().mul(beta).rename(LOSS_COMMIT);
            loss = loss.add(commit);
        }
        SDVariable extra = quantizer.extraLoss(sd, zPre);
        if (extra != null) {
            loss = loss.add(extra.rename(LOSS_EXTRA));
        }
        // a new variable, not a rename: without other terms `loss` IS loss_recon, and renaming it
        // would take that name away (FSQ has neither a commitment nor an extra loss)
        sd.identity(LOSS, loss);
        sd.setLossVariables(LOSS);
        return new Autoencoder(sd, extra != null, quantizer.commitment());
    }

    public SameDiff graph() {
        return sd;
    }

    public boolean hasExtraLoss() {
        return hasExtraLoss;
    }

    public boolean hasCommitment() {
        return hasCommitment;
    }

    private static SDVariable convEncoder(SameDiff sd, SDVariable x, int d, Init init) {
        SDVariable h = sd.nn().relu(conv(sd, "enc1", x, 3, 1, 32, 2, init), 0);   // 14×14
        h = sd.nn().relu(conv(sd, "enc2", h, 3, 32, 64, 2, init), 0);             // 7×7
        h = conv(sd, "enc3", h, 1, 64, d, 1, init);                               // [B, d, 7, 7]
        return h.permute(0, 2, 3, 1).reshape(-1, d);                              // tokens [B·49, d]
    }

    private static SDVariable convDecoder(SameDiff sd, SDVariable tokens, int d, Init init) {
        SDVariable h = tokens.reshape(-1, 7, 7, d).permute(0, 3, 1, 2);            // [B, d, 7, 7]
        h = sd.nn().relu(conv(sd, "dec1", h, 3, d, 64, 1, init), 0);
        h = sd.cnn().upsampling2d(h, 2, 2, true);                                        // 14×14
        h = sd.nn().relu(conv(sd, "dec2", h, 3, 64, 32, 1, init), 0);
        h = sd.cnn().upsampling2d(h, 2, 2, true);                                        // 28×28
        return sd.nn().sigmoid(conv(sd, "dec3", h, 3, 32, 1, 1, init));
    }

    private static SDVariable mlpEncoder(SameDiff sd, SDVariable x, int d, Init init) {
        SDVariable h = sd.nn().relu(dense(sd, "enc1", x.reshape(-1, 784), 784, 256, init), 0);
        return dense(sd, "enc2", h, 256, TOKENS * d, init).reshape(-1, d);
    }

    private static SDVariable mlpDecoder(SameDiff sd, SDVariable tokens, int d, Init init) {
        SDVariable h = sd.nn().relu(dense(sd, "dec1", tokens.reshape(-1, TOKENS * d), TOKENS * d, 256, init), 0);
        return sd.nn().sigmoid(dense(sd, "dec2", h, 256, 784, init)).reshape(-1, 1, 28, 28);
    }

    private static SDVariable conv(SameDiff sd, String name, SDVariable in, int k, int inC, int outC, int stride, Init init) {
        SDVariable w = sd.var(name + "_w", init.uniform(new long[] {k, k, inC, outC}, k * k * inC));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, outC));
        Conv2DConfig config = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride)
                .paddingMode(PaddingMode.SAME).dataFormat("NCHW").build();
        return sd.cnn().conv2d(in, w, b, config);
    }

    private static SDVariable dense(SameDiff sd, String name, SDVariable in, int inSize, int outSize, Init init) {
        SDVariable w = sd.var(name + "_w", init.uniform(new long[] {inSize, outSize}, inSize));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, outSize));
        return in.mmul(w).add(b);
    }

    /** He-uniform initialisation from a seeded stream (a fixed seed gives the same network). */
    private record Init(SplittableRandom random) {
        INDArray uniform(long[] shape, int fanIn) {
            double bound = Math.sqrt(6.0 / fanIn);
            long count = 1;
            for (long s : shape) {
                count *= s;
            }
            float[] v = new float[(int) count];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            return Nd4j.create(v, shape, 'c');
        }
    }
}
