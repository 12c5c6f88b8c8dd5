package io.github.jareranker.lucene;

import java.util.Locale;

/**
 * How the cross-encoder score is combined with the first-pass score ({@code reRankOperator}, weight =
 * {@code reRankWeight}). {@link #REPLACE}, {@link #ADD} and {@link #MULTIPLY} have the semantics of
 * Solr's operators and combine each hit on its own ({@link #combine}); {@link #RRF} and {@link
 * #MINMAX} are window-level: a hit's combined score depends on every hit of the rescored window, so
 * they are computed by {@link WindowCombiner} (which handles all five).
 */
public enum CombineOperator {
    /** {@code weight * model}: the first-pass score is only a tie-breaker (by first-pass rank). */
    REPLACE {
        @Override
        public float combine(float firstPass, float model, float weight) {
            return weight * model;
        }
    },
    /** {@code firstPass + weight * model}. */
    ADD {
        @Override
        public float combine(float firstPass, float model, float weight) {
            return firstPass + weight * model;
        }
    },
    /** {@code firstPass * weight * model}. */
    MULTIPLY {
        @Override
        public float combine(float firstPass, float model, float weight) {
            return firstPass * weight * model;
        }
    },
    /**
     * Reciprocal rank fusion inside the window: {@code 1/(k + firstPassRank) + weight/(k + modelRank)},
     * ranks from 1 ({@link WindowCombiner}).
     */
    RRF,
    /**
     * Both scores min-max normalized to {@code [0, 1]} inside the window, then {@code normFirstPass +
     * weight * normModel} ({@link WindowCombiner}).
     */
    MINMAX;

    /**
     * The combined score of one hit.
     *
     * @throws UnsupportedOperationException for a {@link #windowLevel() window-level} operator, whose
     *     score depends on the other hits: use {@link WindowCombiner}
     */
    public float combine(float firstPass, float model, float weight) {
        throw new UnsupportedOperationException(
                name() + " is a window-level operator: combine the whole window with WindowCombiner");
    }

    /** True for {@link #RRF} and {@link #MINMAX}, whose score of a hit depends on the whole window. */
    public boolean windowLevel() {
        return this == RRF || this == MINMAX;
    }

    /** A formula for explain output, e.g. {@code firstPass + 2.0 * model}. */
    public String formula(float weight) {
        switch (this) {
            case REPLACE:
                return weight + " * model";
            case ADD:
                return "firstPass + " + weight + " * model";
            case MULTIPLY:
                return "firstPass * " + weight + " * model";
            case RRF:
                return "1/(k + firstPassRank) + " + weight + "/(k + modelRank)";
            default:
                return "minmax(firstPass) + " + weight + " * minmax(model)";
        }
    }

    /**
     * Parses {@code replace}, {@code add}, {@code multiply}, {@code rrf} or {@code minmax}
     * (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CombineOperator parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (CombineOperator op : values()) {
            if (op.name().equals(v)) {
                return op;
            }
        }
        throw new IllegalArgumentException(
                "unknown operator '" + value + "': expected replace, add, multiply, rrf or minmax");
    }
}
