package io.github.jareranker.lucene;

import java.util.Locale;

/**
 * How the cross-encoder score is combined with the first-pass score, with the semantics of Solr's
 * {@code reRankOperator} (weight = {@code reRankWeight}).
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
    };

    /** The combined score. */
    public abstract float combine(float firstPass, float model, float weight);

    /** A formula for explain output, e.g. {@code firstPass + 2.0 * model}. */
    public String formula(float weight) {
        switch (this) {
            case REPLACE:
                return weight + " * model";
            case ADD:
                return "firstPass + " + weight + " * model";
            default:
                return "firstPass * " + weight + " * model";
        }
    }

    /**
     * Parses {@code replace}, {@code add} or {@code multiply} (case-insensitive).
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
        throw new IllegalArgumentException("unknown operator '" + value + "': expected replace, add or multiply");
    }
}
