package org.ablate.sketches.family;

/** Exact probabilities for the SRHT on A = [I_d; 0] (shared by the family and task tests). */
public final class SrhtProbabilities {

    private SrhtProbabilities() {
    }

    /**
     * P(every residue mod d appears among m rows drawn without replacement from n = d·(n/d) rows),
     * by inclusion–exclusion: Σ_k (−1)^k C(d, k) C(n − k·n/d, m) / C(n, m).
     */
    public static double allResiduesCovered(int n, int d, int m) {
        int copies = n / d;
        double total = 0;
        double binom = 1; // C(d, k)
        for (int k = 0; k <= d; k++) {
            double ratio = 1; // C(n − copies·k, m) / C(n, m)
            for (int i = 0; i < m && ratio > 0; i++) {
                ratio *= Math.max(0, n - copies * k - i) / (double) (n - i);
            }
            total += (k % 2 == 0 ? 1 : -1) * binom * ratio;
            binom = binom * (d - k) / (k + 1);
        }
        return total;
    }
}
