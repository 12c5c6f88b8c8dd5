package io.github.jareranker.lucene;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Combines the first-pass and model scores of a whole rescored window, for every {@link
 * CombineOperator}: the per-hit ones ({@code replace}, {@code add}, {@code multiply}) hit by hit, and
 * the window-level ones as follows (hit {@code i} of the window is first-pass rank {@code i + 1}):
 *
 * <ul>
 *   <li>{@link CombineOperator#RRF}: {@code 1/(k + firstPassRank) + weight/(k + modelRank)}. The model
 *       rank sorts by model score descending, equal model scores in first-pass order (NaN last); the
 *       first-pass rank is the hit's position, so first-pass scores are not read at all (they may be
 *       negative, NaN or from a sort). With {@code weight = 1} this is plain reciprocal rank fusion.
 *   <li>{@link CombineOperator#MINMAX}: {@code norm(firstPass) + weight * norm(model)} where {@code
 *       norm(x) = (x - min) / (max - min)} over the window's finite values, so any scores, negative
 *       logits included, map onto {@code [0, 1]} (Solr's {@code reRankScale} drops scores {@code <=
 *       0}; this does not). Degenerate cases: when every finite value is equal (and for a window of
 *       one hit) {@code norm} is 1 for all of them, so that side no longer orders the window; a
 *       non-finite value normalizes to 0.
 * </ul>
 *
 * Sums are computed in double and rounded once to float. Stateless.
 */
public final class WindowCombiner {
    /** The usual reciprocal-rank-fusion constant (Cormack et al. 2009), the default of {@code reRankRrfK}. */
    public static final int DEFAULT_RRF_K = 60;

    private WindowCombiner() {}

    /**
     * @param operator how to combine
     * @param weight the weight of the model side
     * @param rrfK the RRF constant {@code k} (read by {@link CombineOperator#RRF} only), at least 0
     * @param firstPass first-pass scores, in first-pass order
     * @param model model scores, same order and length
     * @return the combined score of each hit, in the same order, with a description for explain
     */
    public static Combined combine(CombineOperator operator, float weight, int rrfK, float[] firstPass, float[] model) {
        Objects.requireNonNull(operator, "operator");
        if (firstPass.length != model.length) {
            throw new IllegalArgumentException(
                    "firstPass and model differ in length: " + firstPass.length + " vs " + model.length);
        }
        if (rrfK < 0) {
            throw new IllegalArgumentException("rrfK must be at least 0, got " + rrfK);
        }
        int n = model.length;
        float[] scores = new float[n];
        String[] details = new String[n];
        switch (operator) {
            case RRF:
                int[] modelRank = ranks(model);
                for (int i = 0; i < n; i++) {
                    scores[i] = (float) (1.0 / (rrfK + i + 1) + weight / (double) (rrfK + modelRank[i]));
                    details[i] = operator.formula(weight) + " = 1/(" + rrfK + " + " + (i + 1) + ") + " + weight + "/("
                            + rrfK + " + "
                            + modelRank[i] + "): first-pass rank " + (i + 1) + ", model rank " + modelRank[i]
                            + " of " + n + " in the window, k=" + rrfK;
                }
                break;
            case MINMAX:
                Range fp = Range.of(firstPass);
                Range m = Range.of(model);
                for (int i = 0; i < n; i++) {
                    double nf = fp.normalize(firstPass[i]);
                    double nm = m.normalize(model[i]);
                    scores[i] = (float) (nf + weight * nm);
                    details[i] = operator.formula(weight) + " = " + (float) nf + " + " + weight + " * " + (float) nm
                            + ": first-pass " + firstPass[i] + " normalized over " + fp + ", model " + model[i]
                            + " normalized over " + m + " (a range of equal values normalizes to 1)";
                }
                break;
            default:
                String formula = operator.formula(weight);
                for (int i = 0; i < n; i++) {
                    scores[i] = operator.combine(firstPass[i], model[i], weight);
                    details[i] = formula;
                }
        }
        return new Combined(scores, details);
    }

    /** 1-based ranks by value descending; equal values (and NaNs, which go last) keep their order. */
    static int[] ranks(float[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                Comparator.<Integer>comparingDouble(i -> Float.isNaN(values[i]) ? Double.POSITIVE_INFINITY : -values[i])
                        .thenComparingInt(i -> Float.isNaN(values[i]) ? 1 : 0)
                        .thenComparingInt(i -> i));
        int[] rank = new int[values.length];
        for (int r = 0; r < order.length; r++) {
            rank[order[r]] = r + 1;
        }
        return rank;
    }

    /** The finite minimum and maximum of a window's scores. */
    private static final class Range {
        final double min;
        final double max;

        private Range(double min, double max) {
            this.min = min;
            this.max = max;
        }

        static Range of(float[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : values) {
                if (Float.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            return new Range(min, max);
        }

        double normalize(float x) {
            if (!Float.isFinite(x)) {
                return 0;
            }
            return max > min ? (x - min) / (max - min) : 1;
        }

        @Override
        public String toString() {
            return "[" + (float) min + ", " + (float) max + "]";
        }
    }

    /** The combined scores of a window, in the order given, and how each was computed. */
    public static final class Combined {
        private final float[] scores;
        private final String[] details;

        private Combined(float[] scores, String[] details) {
            this.scores = scores;
            this.details = details;
        }

        public int size() {
            return scores.length;
        }

        /** The combined score of hit {@code i} (first-pass rank {@code i + 1}). */
        public float score(int i) {
            return scores[i];
        }

        /** How {@link #score(int)} was computed, for explain. */
        public String describe(int i) {
            return details[i];
        }
    }
}
