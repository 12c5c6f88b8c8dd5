package io.github.jareranker.encoder;

import java.util.Arrays;

/**
 * The result of scoring one query against a list of documents: one logit and one score (the
 * logit after the configured {@link Activation}) per document, in input order. Immutable: the
 * accessors return copies.
 */
public final class ScoredPairs {
    private final float[] logits;
    private final float[] scores;
    private final ScoringStats stats;

    ScoredPairs(float[] logits, float[] scores, ScoringStats stats) {
        this.logits = logits;
        this.scores = scores;
        this.stats = stats;
    }

    /** Number of documents scored. */
    public int size() {
        return scores.length;
    }

    /** Raw model logits, in input order. */
    public float[] logits() {
        return logits.clone();
    }

    /** Scores after the activation, in input order. */
    public float[] scores() {
        return scores.clone();
    }

    /** The logit of document {@code i}. */
    public float logit(int i) {
        return logits[i];
    }

    /** The score of document {@code i}. */
    public float score(int i) {
        return scores[i];
    }

    /** What the call cost. */
    public ScoringStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return "ScoredPairs{scores=" + Arrays.toString(scores) + ", stats=" + stats + '}';
    }
}
