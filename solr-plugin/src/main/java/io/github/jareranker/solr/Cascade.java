package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * The second stage of a cascade ({@code then=MODEL thenDocs=N}): a second model reorders the top
 * {@code thenDocs} hits of the first stage's order. Stage 2 scores (query, reRankFields) with the
 * {@code then} model alone (operator replace, weight 1, no passages), so its score is that model's
 * score (after its activation). To keep scores monotonic across stages, each stage-2 hit's returned
 * score is
 *
 * <pre>stage2 score - lowest stage2 score in the head + highest stage1 score of the window + 1</pre>
 *
 * which keeps the stage-2 order and the differences between stage-2 scores, and puts every stage-2
 * hit at least 1 above every stage-1-only hit (which keep their stage-1 scores, themselves above the
 * first-pass tail). The shift is per shard: under SolrCloud, as with {@link
 * TailScores.Mode#SHARD_FLOOR}, a page reaching past {@code thenDocs} may interleave shards.
 *
 * @param modelName the {@code then} model's configured name
 * @param modelOptions the engine options the {@code then} model was loaded with (part of the cache key)
 * @param thenDocs how many of the stage-1 hits the second model reorders, at least 1
 */
record Cascade(String modelName, CrossEncoderOptions modelOptions, int thenDocs) {
    /** Default {@code thenDocs} when only {@code then} is given: {@code min(reRankDocs, 30)}. */
    static final int THEN_DOCS_DEFAULT = 30;

    Cascade {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(modelOptions, "modelOptions");
        if (thenDocs < 1) {
            throw new IllegalArgumentException("thenDocs must be at least 1, got " + thenDocs);
        }
    }

    /** What stage 2 did to one request's window: its scorer and the shift added to its scores. */
    record Applied(CrossEncoderRescorer scorer, float shift) {
        /** The returned score of a stage-2 hit whose {@code then} model score is {@code modelScore}. */
        float score(float modelScore) {
            return modelScore + shift;
        }

        String describe() {
            return "then-model score + " + shift
                    + " (= - lowest then-model score of the stage-2 hits + highest stage-1 score of the window + 1,"
                    + " so every stage-2 hit is above every stage-1-only hit)";
        }
    }

    /** The whole reordered list and what stage 2 did ({@code applied} null when the window was empty). */
    record Result(TopDocs hits, Applied applied) {}

    /**
     * Reorders the head of {@code stage1} (hits in stage-1 order, scores descending) with {@code
     * second} and returns the whole list: the stage-2 hits first, with shifted scores, then the rest
     * of stage 1 unchanged, with what stage 2 did.
     */
    Result apply(IndexSearcher searcher, TopDocs stage1, CrossEncoderRescorer second) throws IOException {
        ScoreDoc[] s1 = stage1.scoreDocs;
        int n = Math.min(thenDocs, s1.length);
        if (n == 0) {
            return new Result(stage1, null);
        }
        ScoreDoc[] head = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            head[i] = new ScoreDoc(s1[i].doc, s1[i].score, s1[i].shardIndex);
        }
        ScoreDoc[] reordered =
                second.rescore(searcher, new TopDocs(new TotalHits(n, TotalHits.Relation.EQUAL_TO), head), n).scoreDocs;
        float lowest = Float.POSITIVE_INFINITY;
        for (ScoreDoc d : reordered) {
            if (Float.isFinite(d.score)) {
                lowest = Math.min(lowest, d.score);
            }
        }
        float highest = Float.isFinite(s1[0].score) ? s1[0].score : 0f;
        float shift = (Float.isFinite(lowest) ? highest - lowest : highest) + 1f;
        ScoreDoc[] out = new ScoreDoc[s1.length];
        for (int i = 0; i < n; i++) {
            ScoreDoc d = reordered[i];
            out[i] = new ScoreDoc(d.doc, d.score + shift, d.shardIndex);
        }
        System.arraycopy(s1, n, out, n, s1.length - n);
        return new Result(new TopDocs(stage1.totalHits, out), new Applied(second, shift));
    }

    @Override
    public String toString() {
        return "then=" + modelName + " thenDocs=" + thenDocs;
    }
}
