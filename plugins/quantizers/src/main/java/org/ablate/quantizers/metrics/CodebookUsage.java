package org.ablate.quantizers.metrics;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Counts how often each of K codes was selected, accumulated over any number of batches.
 *
 * <p>Codebook collapse is the quantity the SimVQ study measures, and the paper's utilisation is
 * over the whole validation set, not one batch: so this is an accumulator ({@link #add}) whose
 * summaries can be read at any time. Definitions:
 * <ul>
 *   <li>{@link #utilisation()}: fraction of the K codes selected at least once;</li>
 *   <li>{@link #perplexity()}: {@code exp(H)}, H the entropy (natural log) of the empirical code
 *       distribution — the "effective number of codes in use", K for uniform use, 1 when one code
 *       takes everything;</li>
 *   <li>{@link #distinctCodes()}: number of codes selected at least once.</li>
 * </ul>
 * With nothing added, utilisation, entropy and perplexity are all 0. Not thread-safe.
 */
public final class CodebookUsage {

    private final long[] counts;
    private long total;

    /** An empty accumulator for a codebook of {@code k} codes. */
    public CodebookUsage(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("codebook size must be positive, got " + k);
        }
        this.counts = new long[k];
    }

    /** Usage of one set of indices. */
    public static CodebookUsage of(int[] indices, int k) {
        CodebookUsage usage = new CodebookUsage(k);
        usage.add(indices);
        return usage;
    }

    /** Adds a batch of code indices (each in {@code [0, K)}). */
    public CodebookUsage add(int[] indices) {
        for (int i : indices) {
            check(i);
        }
        for (int i : indices) {
            counts[i]++;
        }
        total += indices.length;
        return this;
    }

    /** Adds a batch of code indices given as longs (as ND4J's argmin returns them). */
    public CodebookUsage add(long[] indices) {
        for (long i : indices) {
            check(i);
        }
        for (long i : indices) {
            counts[(int) i]++;
        }
        total += indices.length;
        return this;
    }

    /** Adds every element of an integer-valued array of any shape (e.g. argmin output). */
    public CodebookUsage add(INDArray indices) {
        if (!indices.isView() && indices.ordering() == 'c' && indices.data().length() == indices.length()) {
            return add(indices.data().asLong());
        }
        try (INDArray dense = indices.dup('c')) {
            return add(dense.data().asLong());
        }
    }

    /** Adds another accumulator's counts (same K), e.g. from a parallel worker. */
    public CodebookUsage addAll(CodebookUsage other) {
        if (other.counts.length != counts.length) {
            throw new IllegalArgumentException("codebook sizes differ: " + counts.length + " vs " + other.counts.length);
        }
        for (int c = 0; c < counts.length; c++) {
            counts[c] += other.counts[c];
        }
        total += other.total;
        return this;
    }

    /** Forgets everything added so far. */
    public void reset() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    /** K. */
    public int codebookSize() {
        return counts.length;
    }

    /** Number of indices added. */
    public long total() {
        return total;
    }

    /** How often code {@code c} was selected. */
    public long count(int c) {
        return counts[c];
    }

    /** A copy of the per-code counts, indexed by code. */
    public long[] counts() {
        return counts.clone();
    }

    /** Number of codes selected at least once. */
    public int distinctCodes() {
        int used = 0;
        for (long n : counts) {
            if (n > 0) {
                used++;
            }
        }
        return used;
    }

    /** Fraction of the K codes selected at least once, in [0, 1]. */
    public double utilisation() {
        return distinctCodes() / (double) counts.length;
    }

    /** Shannon entropy (nats) of the empirical code distribution; 0 when empty. */
    public double entropy() {
        if (total == 0) {
            return 0.0;
        }
        double h = 0.0;
        double n = total;
        for (long c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * Math.log(p);
            }
        }
        return Math.max(0.0, h);
    }

    /** {@code exp(entropy())}, in [1, K]; 0 when nothing was added. */
    public double perplexity() {
        return total == 0 ? 0.0 : Math.exp(entropy());
    }

    private void check(long i) {
        if (i < 0 || i >= counts.length) {
            throw new IllegalArgumentException("code index " + i + " outside [0, " + counts.length + ")");
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "CodebookUsage[K=%d, n=%d, used=%d (%.1f%%), perplexity=%.2f]",
                counts.length, total, distinctCodes(), 100 * utilisation(), perplexity());
    }
}
