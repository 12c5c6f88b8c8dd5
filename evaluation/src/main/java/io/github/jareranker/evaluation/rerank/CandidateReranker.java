package io.github.jareranker.evaluation.rerank;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.report.ProgressBar;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores every candidate of a {@link CandidateDataset} against its query with a cross-encoder
 * (the seed protocol: passage = {@code title + " " + text}, truncation and maximum length as the
 * encoder was configured) and returns the scores as a run.
 */
public final class CandidateReranker {
    /** Which number of the engine's output becomes the run score. */
    public enum ScoreKind {
        /** The raw relevance logit (default: no ties from a saturated sigmoid). */
        LOGIT,
        /** The score after the encoder's configured activation (sigmoid by default). */
        SCORE
    }

    private final CrossEncoder encoder;
    private final boolean withTitle;
    private final ScoreKind scoreKind;

    /**
     * @param encoder the loaded model (not closed here)
     * @param withTitle whether to prefix each passage with its title and a space
     * @param scoreKind logit or activated score
     */
    public CandidateReranker(CrossEncoder encoder, boolean withTitle, ScoreKind scoreKind) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.withTitle = withTitle;
        this.scoreKind = Objects.requireNonNull(scoreKind, "scoreKind");
    }

    /** Scores all queries; advances {@code progress} by one per query. */
    public Run rerank(CandidateDataset dataset, String runName, ProgressBar progress) {
        Run.Builder b = Run.builder(runName);
        for (CandidateDataset.Query q : dataset.queries()) {
            b.addQuery(q.qid());
            List<String> passages = new ArrayList<>(q.candidates().size());
            for (CandidateDataset.Candidate c : q.candidates()) {
                passages.add(c.passage(withTitle));
            }
            if (!passages.isEmpty()) {
                ScoredPairs scored = encoder.score(q.query(), passages);
                float[] values = scoreKind == ScoreKind.LOGIT ? scored.logits() : scored.scores();
                for (int i = 0; i < values.length; i++) {
                    b.add(q.qid(), q.candidates().get(i).id(), values[i]);
                }
            }
            progress.step(1);
        }
        return b.build();
    }
}
