package org.ablate.quantizers.quantizer;

import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.ablate.quantizers.spi.Assignment;
import org.ablate.quantizers.spi.Quantizer;
import org.ablate.quantizers.spi.QuantizerSetup;
import org.ablate.quantizers.spi.QuantizerState;
import org.ablate.spi.ComponentParams;
import org.ablate.spi.Param;
import org.ablate.spi.ParameterSchema;
import org.ablate.spi.Parameters;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite scalar quantisation (Mentzer et al.): project z to len(levels) dimensions, bound each by
 * tanh to its level count, round to the integer grid (straight-through), rescale to [−1, 1] and
 * project back. The codebook is the grid itself: nothing to learn, nothing to collapse.
 */
public final class Fsq implements Quantizer {

    /** The FSQ paper's recommended levels per codebook size. */
    static final Map<Integer, List<Long>> DEFAULT_LEVELS = Map.of(
            256, List.of(8L, 6L, 5L),
            1024, List.of(8L, 5L, 5L, 5L),
            4096, List.of(7L, 5L, 5L, 5L, 5L),
            16384, List.of(8L, 8L, 8L, 6L, 5L),
            65536, List.of(8L, 8L, 8L, 5L, 5L, 5L));

    public static final ParameterSchema SCHEMA = ParameterSchema.of(
            Param.integerList("levels").defaultValue(List.of()).range(2, 64)
                    .doc("Levels per dimension; empty: the FSQ paper's choice for the task's codebook_size "
                            + "(256, 1024, 4096, 16384 or 65536)."));

    /** As set; empty: the defaults for the task's codebook size, known at {@link #create}. */
    private final List<Long> levels;

    @Inject
    public Fsq(@ComponentParams Parameters params) {
        this.levels = params.getLongList("levels");
    }

    @Override
    public QuantizerState create(QuantizerSetup setup) {
        List<Long> levels = this.levels;
        if (levels.isEmpty()) {
            levels = DEFAULT_LEVELS.get(setup.codebookSize());
            if (levels == null) {
                throw new IllegalArgumentException("fsq has no default levels for codebook_size = " + setup.codebookSize()
                        + " (defaults exist for " + new java.util.TreeSet<>(DEFAULT_LEVELS.keySet()) + "); set quantizer.levels");
            }
        }
        return new State(setup, levels.stream().mapToInt(Long::intValue).toArray());
    }

    static final class State implements QuantizerState {
        private final QuantizerSetup setup;
        private final int[] levels;
        private final int[] basis;
        private final int size;

        State(QuantizerSetup setup, int[] levels) {
            this.setup = setup;
            this.levels = levels;
            this.basis = new int[levels.length];
            long product = 1;
            for (int j = 0; j < levels.length; j++) {
                basis[j] = (int) product;
                product *= levels[j];
            }
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("fsq levels give too many codes: " + product);
            }
            this.size = (int) product;
        }

        private INDArray constants(java.util.function.IntToDoubleFunction f) {
            float[] v = new float[levels.length];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) f.applyAsDouble(j);
            }
            return Nd4j.create(v, new long[] {1, v.length}, 'c');
        }

        private double half(int j) {
            return (levels[j] - 1) * (1 + 1e-3) / 2;
        }

        private double offset(int j) {
            return levels[j] % 2 == 0 ? 0.5 : 0.0;
        }

        @Override
        public SDVariable preQuantize(SameDiff sd, SDVariable z) {
            SDVariable low = Projection.linear(sd, "fsq_in", z, setup.latentDim(), levels.length, setup.seed() + 1);
            SDVariable shift = sd.constant("fsq_shift", constants(j -> atanh(offset(j) / half(j))));
            SDVariable half = sd.constant("fsq_half", constants(this::half));
            SDVariable offset = sd.constant("fsq_offset", constants(this::offset));
            return sd.math().tanh(low.add(shift)).mul(half).sub(offset);
        }

        @Override
        public SDVariable postQuantize(SameDiff sd, SDVariable zq) {
            SDVariable width = sd.constant("fsq_width", constants(j -> levels[j] / 2));
            return Projection.linear(sd, "fsq_out", zq.div(width), levels.length, setup.latentDim(), setup.seed() + 2);
        }

        @Override
        public boolean commitment() {
            return false;
        }

        @Override
        public int codeDim() {
            return levels.length;
        }

        @Override
        public int codebookSize() {
            return size;
        }

        @Override
        public Assignment assign(INDArray zPre) {
            int n = (int) zPre.rows();
            int l = levels.length;
            INDArray zc = zPre.castTo(DataType.FLOAT).dup('c');
            float[] z = zc.data().asFloat();
            zc.close();
            float[] q = new float[n * l];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                int code = 0;
                for (int j = 0; j < l; j++) {
                    int lo = -(levels[j] / 2);
                    int hi = lo + levels[j] - 1;
                    int v = (int) Math.max(lo, Math.min(hi, Math.round(z[i * l + j])));
                    q[i * l + j] = v;
                    code += (v - lo) * basis[j];
                }
                idx[i] = code;
            }
            return new Assignment(idx, Nd4j.create(q, new long[] {n, l}, 'c'));
        }

        @Override
        public double update(INDArray zPre, Assignment a) {
            return CodebookGradient.value(a.quantized(), zPre);
        }

        @Override
        public INDArray decode(int[] indices) {
            int l = levels.length;
            float[] q = new float[indices.length * l];
            for (int i = 0; i < indices.length; i++) {
                for (int j = 0; j < l; j++) {
                    q[i * l + j] = (indices[i] / basis[j]) % levels[j] - levels[j] / 2;
                }
            }
            return Nd4j.create(q, new long[] {indices.length, l}, 'c');
        }

        private static double atanh(double x) {
            return 0.5 * Math.log((1 + x) / (1 - x));
        }
    }
}
