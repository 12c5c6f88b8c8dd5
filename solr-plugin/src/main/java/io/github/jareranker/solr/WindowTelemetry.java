package io.github.jareranker.solr;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.lucene.search.ScoreDoc;

/**
 * What the reranking did to one window, in numbers an operator can act on:
 *
 * <ul>
 *   <li>{@link #cutoff()}: the first-pass score of the lowest first-pass hit of the window (hits
 *       scoring below it were not reranked), as Solr LTR echoes its rerank cutoff;
 *   <li>{@link #displacedTop10()}: how many of the reranked top 10 came from below first-pass rank 10
 *       (what the model brought up that the first pass alone would not have shown on page 1);
 *   <li>{@link #kendallTau()}: Kendall's tau between the first-pass and the reranked order of the
 *       window, {@code (concordant - discordant) / (n(n-1)/2)}: 1 = unchanged, -1 = reversed; both
 *       orders are permutations of the same hits, so there are no ties. Empty for fewer than 2 hits.
 * </ul>
 *
 * Immutable.
 *
 * @param cutoff first-pass score of the last hit of the window
 * @param displacedTop10 reranked top-10 hits whose first-pass rank is above 10
 * @param kendallTau tau of the window's two orders
 */
record WindowTelemetry(float cutoff, int displacedTop10, OptionalDouble kendallTau) {
    /** The depth that {@link #displacedTop10()} looks at. */
    static final int TOP = 10;

    /**
     * @param firstPass the window in first-pass order
     * @param reranked the same hits in reranked order
     */
    static WindowTelemetry of(ScoreDoc[] firstPass, ScoreDoc[] reranked) {
        int n = firstPass.length;
        if (reranked.length != n) {
            throw new IllegalArgumentException("the reranked window must hold the first-pass window's hits");
        }
        Map<Integer, Integer> firstPassRank = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            firstPassRank.put(firstPass[i].doc, i);
        }
        int[] rankOfFinal = new int[n]; // first-pass rank of the hit at each reranked position
        int displaced = 0;
        for (int r = 0; r < n; r++) {
            Integer fp = firstPassRank.get(reranked[r].doc);
            if (fp == null) {
                throw new IllegalArgumentException("hit " + reranked[r].doc + " is not in the first-pass window");
            }
            rankOfFinal[r] = fp;
            if (r < TOP && fp >= TOP) {
                displaced++;
            }
        }
        return new WindowTelemetry(n == 0 ? Float.NaN : firstPass[n - 1].score, displaced, tau(rankOfFinal));
    }

    /** Tau of a permutation against the identity: pairs in order minus pairs out of order, over all pairs. */
    private static OptionalDouble tau(int[] permutation) {
        int n = permutation.length;
        if (n < 2) {
            return OptionalDouble.empty();
        }
        long concordant = 0;
        long discordant = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (permutation[i] < permutation[j]) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        return OptionalDouble.of((concordant - discordant) / (n * (n - 1) / 2.0));
    }
}
