package io.github.jareranker.solr;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.lucene.CombineOperator;
import org.apache.lucene.search.ScoreDoc;

/**
 * The scores given to hits past {@code reRankDocs} so that scores never increase down the returned
 * list and every such hit sorts below every reranked hit, in first-pass order.
 *
 * <p>{@link Mode#GLOBAL} (operator replace, sigmoid activation, positive weight: reranked scores lie
 * in {@code [0, weight]}; or operator rrf or minmax with a weight >= 0: scores >= 0): a tail hit scores {@link #squash(float) squash(firstPass)}, a fixed,
 * strictly increasing map of the first-pass score into {@code (-2, 0)}. It does not depend on the
 * shard, so SolrCloud's merge by score keeps every reranked hit of every shard above every tail hit
 * and orders the tails of all shards by first-pass score.
 *
 * <p>{@link Mode#SHARD_FLOOR} (any other combination, whose scores are unbounded): a tail hit scores
 * {@code floor + squash(firstPass)}, kept strictly below {@code floor}, the lowest reranked score of
 * this shard. Order inside one shard is right; across shards the floors differ, so with SolrCloud a
 * page that reaches past {@code reRankDocs} may interleave shards' tails with other shards' reranked
 * hits. Immutable.
 */
final class TailScores {
    /** How tail scores are derived. */
    enum Mode {
        GLOBAL,
        SHARD_FLOOR
    }

    private final Mode mode;
    private final float floor;

    private TailScores(Mode mode, float floor) {
        this.mode = mode;
        this.floor = floor;
    }

    /** The mode for a combination of operator, activation and weight. */
    static Mode modeFor(CombineOperator operator, Activation activation, float weight) {
        if (operator.windowLevel()) {
            // rrf and minmax scores are sums of terms in (0, 1] and [0, 1]: never below 0 unless weighted negatively.
            return weight >= 0 ? Mode.GLOBAL : Mode.SHARD_FLOOR;
        }
        return operator == CombineOperator.REPLACE && activation == Activation.SIGMOID && weight > 0
                ? Mode.GLOBAL
                : Mode.SHARD_FLOOR;
    }

    /** The tail scores below the reranked hits {@code docs[0..reranked)} (already combined scores). */
    static TailScores of(Mode mode, ScoreDoc[] docs, int reranked) {
        if (mode == Mode.GLOBAL) {
            return global();
        }
        float floor = Float.POSITIVE_INFINITY;
        for (int i = 0; i < reranked; i++) {
            if (Float.isFinite(docs[i].score)) {
                floor = Math.min(floor, docs[i].score);
            }
        }
        return belowFloor(floor);
    }

    static TailScores global() {
        return new TailScores(Mode.GLOBAL, 0f);
    }

    /** Tail scores below {@code lowestReranked} (ignored when not finite: the floor is then 0). */
    static TailScores belowFloor(float lowestReranked) {
        return new TailScores(Mode.SHARD_FLOOR, Float.isFinite(lowestReranked) ? lowestReranked : 0f);
    }

    /** The returned score of a tail hit whose first-pass score is {@code firstPass}. */
    float score(float firstPass) {
        float s = squash(firstPass);
        if (mode == Mode.GLOBAL) {
            return s;
        }
        return Math.min(floor + s, Math.nextDown(floor));
    }

    /**
     * A strictly increasing map of any first-pass score into {@code (-2, 0)}: {@code -1/(1+x)} for
     * {@code x >= 0} (BM25 and other non-negative scores land in {@code [-1, 0)}) and {@code -2 +
     * 1/(1-x)} for negative {@code x}; NaN maps to -2.
     */
    static float squash(float x) {
        if (Float.isNaN(x)) {
            return -2f;
        }
        if (x >= 0) {
            return (float) (-1.0 / (1.0 + x));
        }
        return (float) (-2.0 + 1.0 / (1.0 - x));
    }

    /** A formula for explain output. */
    String describe() {
        return mode == Mode.GLOBAL
                ? "-1/(1+firstPass) for firstPass >= 0, -2+1/(1-firstPass) below 0 (always under every reranked score)"
                : "lowest reranked score on this shard (" + floor + ") + squash(firstPass), squash in (-2, 0)";
    }
}
