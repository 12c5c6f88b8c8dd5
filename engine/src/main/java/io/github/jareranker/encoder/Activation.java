package io.github.jareranker.encoder;

import java.util.Locale;

/** Maps the model's raw logit to the score returned to callers. Ranking is the same either way. */
public enum Activation {
    /** {@code 1 / (1 + e^-logit)}: the score sentence-transformers' CrossEncoder reports (0..1). */
    SIGMOID {
        @Override
        public float apply(float logit) {
            return (float) (1.0 / (1.0 + Math.exp(-logit)));
        }
    },
    /** The raw logit, unbounded and possibly negative. */
    RAW {
        @Override
        public float apply(float logit) {
            return logit;
        }
    };

    /** Applies this activation to one logit. */
    public abstract float apply(float logit);

    /**
     * Parses {@code sigmoid} / {@code raw} (case-insensitive; {@code none} and {@code logit} mean raw).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Activation parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "sigmoid":
                return SIGMOID;
            case "raw":
            case "none":
            case "logit":
                return RAW;
            default:
                throw new IllegalArgumentException("unknown activation '" + value + "': expected sigmoid or raw");
        }
    }
}
