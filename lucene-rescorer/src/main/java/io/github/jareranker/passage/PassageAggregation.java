package io.github.jareranker.passage;

import java.util.Arrays;

/**
 * How a document's passage scores become its score. Scores and logits are aggregated alike (the
 * document's logit is the same aggregate of its passages' logits).
 */
public enum PassageAggregation {
    /** MaxP: the best passage's score. */
    MAX("max"),
    /** FirstP: the first passage only (the truncation of the whole text, made explicit). */
    FIRST("first"),
    /** The mean of the {@code k} best passages' scores (all of them when a document has fewer). */
    MEAN_TOP_K("meanTopK");

    private final String externalName;

    PassageAggregation(String externalName) {
        this.externalName = externalName;
    }

    /** The name used in requests, flags and configuration: {@code max}, {@code first}, {@code meanTopK}. */
    public String externalName() {
        return externalName;
    }

    /**
     * Parses {@code max}, {@code first} or {@code meanTopK} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static PassageAggregation parse(String value) {
        String v = value == null ? "" : value.trim();
        for (PassageAggregation a : values()) {
            if (a.externalName.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("must be one of max, first, meanTopK; got '" + value + "'");
    }

    /**
     * Positions (into {@code scores}) of the passages whose values make up the aggregate, best first;
     * ties keep document order.
     *
     * @param scores the scored passages' scores in document order (at least one)
     * @param k the {@link #MEAN_TOP_K} depth
     */
    int[] contributors(float[] scores, int k) {
        if (this == FIRST) {
            return new int[] {0};
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int n = this == MAX ? 1 : Math.min(k, order.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** The mean of {@code values} at {@code positions} (for MAX and FIRST: the one value). */
    static float mean(float[] values, int[] positions) {
        double sum = 0;
        for (int p : positions) {
            sum += values[p];
        }
        return (float) (sum / positions.length);
    }

    @Override
    public String toString() {
        return externalName;
    }
}
