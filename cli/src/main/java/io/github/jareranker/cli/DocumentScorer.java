package io.github.jareranker.cli;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.passage.DocumentText;
import io.github.jareranker.passage.Passage;
import io.github.jareranker.passage.PassageOptions;
import io.github.jareranker.passage.PassageScorer;
import io.github.jareranker.passage.PassageScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores plain documents (no title) for the command line: as whole texts, or by their passages when
 * passage options are given. One engine call per query either way.
 */
final class DocumentScorer {
    private final CrossEncoder encoder;
    private final PassageScorer passages;

    /** @param passages null to score whole documents */
    DocumentScorer(CrossEncoder encoder, PassageOptions passages) {
        this.encoder = encoder;
        this.passages = passages == null ? null : new PassageScorer(encoder, passages, " ");
    }

    /**
     * Per document, in input order: logit, score, and (with passages) the best passage.
     *
     * @param best null without passages
     */
    record Scores(float[] logits, float[] scores, List<Passage> best) {}

    Scores score(String query, List<String> docs) {
        if (passages == null) {
            ScoredPairs s = encoder.score(query, docs);
            return new Scores(s.logits(), s.scores(), null);
        }
        List<DocumentText> texts = new ArrayList<>(docs.size());
        docs.forEach(d -> texts.add(DocumentText.of(d)));
        List<PassageScores> docScores =
                passages.score(query, texts, Cancellation.NONE).documents();
        float[] logits = new float[docs.size()];
        float[] scores = new float[docs.size()];
        List<Passage> best = new ArrayList<>(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            logits[i] = docScores.get(i).logit();
            scores[i] = docScores.get(i).score();
            best.add(docScores.get(i).bestPassage().passage());
        }
        return new Scores(logits, scores, best);
    }
}
