package io.github.jareranker.passage;

import java.util.List;

/**
 * What passage scoring made of one document.
 *
 * @param score the document's model score: the {@link PassageAggregation} of its scored passages'
 *     scores
 * @param logit the same aggregate of their logits
 * @param scored the passages the model scored, in document order (at least one)
 * @param best position in {@code scored} of the best-scoring passage (the first on ties; for
 *     FirstP, the first passage)
 * @param passageCount how many passages the document has in all (more than {@code scored.size()}
 *     when pre-selection dropped some)
 * @param body the body text the passages' spans point into (cut to the character cap)
 * @param originalChars the body's length before the character cap
 */
public record PassageScores(
        float score,
        float logit,
        List<ScoredPassage> scored,
        int best,
        int passageCount,
        String body,
        int originalChars) {

    public PassageScores {
        scored = List.copyOf(scored);
    }

    /** The best passage: the snippet to show for this document. */
    public ScoredPassage bestPassage() {
        return scored.get(best);
    }

    /** Whether the body was longer than the character cap, so its end was not read. */
    public boolean cut() {
        return originalChars > body.length();
    }
}
