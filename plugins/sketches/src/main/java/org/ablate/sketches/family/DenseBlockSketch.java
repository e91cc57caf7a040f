package org.ablate.sketches.family;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.ablate.sketches.linalg.DenseMatrix;
import org.ablate.sketches.spi.Sketch;
import org.ablate.sketches.spi.SketchInput;
import org.ablate.spi.SeedStreams;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense S with i.i.d. entries, formed column block by column block: each block S[:, j..j+B)
 * (m × B, about {@link #BLOCK_VALUES} values) is generated from its own seeded stream and
 * multiplied into the result with ND4J gemm, so S is never held whole.
 */
public abstract class DenseBlockSketch implements Sketch {

    /** Values of S generated per block: 2^22 doubles = 32 MB (a long inner dimension keeps gemm efficient). */
    static final int BLOCK_VALUES = 1 << 22;
    /** Generator streams per block, filled in parallel; fixed, so S does not depend on the core count. */
    static final int PARTS = 2;

    @Override
    public final DenseMatrix apply(SketchInput problem, int m, long seed) {
        int n = problem.n();
        int k = problem.ab().cols();
        int blockCols = blockColumns(n, m);
        double[] values = new double[m * blockCols];
        INDArray acc = Nd4j.create(DataType.DOUBLE, new long[] {m, k}, 'f');
        INDArray block = Nd4j.create(DataType.DOUBLE, new long[] {m, blockCols}, 'c');
        double scale = scale(m);
        for (int start = 0, index = 0; start < n; start += blockCols, index++) {
            int cols = Math.min(blockCols, n - start);
            long blockSeed = SeedStreams.derive(seed, "block-" + index);
            fillParallel(values, m * cols, blockSeed);
            INDArray s = cols == blockCols ? block : Nd4j.create(DataType.DOUBLE, new long[] {m, cols}, 'c');
            s.data().asNioDouble().put(values, 0, m * cols);
            INDArray rows = problem.ab().block(start, cols);
            Nd4j.gemm(s, rows, acc, false, false, scale, 1.0);
            rows.close();
            if (s != block) {
                s.close();
            }
        }
        DenseMatrix out = DenseMatrix.of(acc);
        acc.close();
        block.close();
        return out;
    }

    private void fillParallel(double[] values, int count, long blockSeed) {
        int per = (count + PARTS - 1) / PARTS;
        IntStream.range(0, PARTS).parallel().forEach(part -> {
            int from = part * per;
            int to = Math.min(count, from + per);
            fill(values, from, to, new SplittableRandom(SeedStreams.derive(blockSeed, "part-" + part)));
        });
    }

    /** Columns of S per generated block for an m-row sketch of n columns. */
    public static int blockColumns(int n, int m) {
        return Math.max(1, Math.min(n, BLOCK_VALUES / m));
    }

    @Override
    public final boolean dense() {
        return true;
    }

    /** Fills values[from, to) with unscaled entries (N(0,1), or ±1). */
    abstract void fill(double[] values, int from, int to, SplittableRandom random);

    /** The factor that makes E[SᵀS] = I. */
    abstract double scale(int m);
}
