package io.github.jareranker.lucene;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.passage.PassageOptions;
import io.github.jareranker.passage.PassageScores;
import io.github.jareranker.passage.ScoredPassage;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.Explanation;

/**
 * The explain of a hit scored by passages: how its passage scores were aggregated, then each scored
 * passage (index, offsets into the body, score, logit, the start of its text), the best one marked,
 * and notes when pre-selection skipped passages or the body was cut at the character cap.
 */
final class PassageExplanation {
    /** Characters of a passage's text shown in explain (the offsets locate the rest). */
    private static final int SHOWN_CHARS = 60;

    private PassageExplanation() {}

    static Explanation of(
            PassageScores doc,
            float score,
            float logit,
            String activation,
            RescorerOptions options,
            CrossEncoder encoder,
            String queryText) {
        PassageOptions p = options.passages().orElseThrow();
        List<Explanation> details = new ArrayList<>();
        details.add(Explanation.match(
                logit,
                "model logit (same aggregate), " + encoder.info().onnxFile().getFileName()));
        details.add(Explanation.match(0f, "query text: " + queryText));
        if (doc.passageCount() > doc.scored().size()) {
            details.add(Explanation.match(
                    0f,
                    "passages: " + doc.scored().size() + " of " + doc.passageCount() + " scored (maxPassages="
                            + p.maxPassages() + ": the first and those sharing most query terms)"));
        }
        if (doc.cut()) {
            details.add(Explanation.match(
                    0f,
                    "body cut at maxDocumentChars=" + p.maxDocumentChars() + " of " + doc.originalChars()
                            + " characters: the rest was not read"));
        }
        for (int i = 0; i < doc.scored().size(); i++) {
            ScoredPassage sp = doc.scored().get(i);
            String text = sp.passage().text();
            String shown = text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "…" : text;
            details.add(Explanation.match(
                    sp.score(),
                    (i == doc.best() ? "best passage " : "passage ")
                            + sp.passage().index() + " [" + sp.passage().span().start() + ","
                            + sp.passage().span().end() + ") logit " + sp.logit() + ": " + shown));
        }
        String aggregate = switch (p.aggregation()) {
            case MAX -> "max";
            case FIRST -> "first";
            case MEAN_TOP_K -> "mean of the top " + p.topK();
        };
        return Explanation.match(
                score,
                "second pass score: cross-encoder " + activation + " score of (query, passages of "
                        + String.join(" + ", options.fields()) + "), " + aggregate + " of "
                        + doc.scored().size()
                        + " passage scores (passages=" + p.aggregation().externalName() + ")",
                details);
    }
}
