package io.github.jareranker.solr;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import java.io.IOException;
import java.util.Optional;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;

/**
 * Explains a hit's reranked score from the request's {@link RerankTrace}: not reranked (fallback, outside the
 * window, with its tail score), stage 1 (the model's score combined with the first pass), or a cascade's stage 2.
 * When the trace has no scores (explain without a search here), it scores the hit with the first stage's model.
 * One instance per request; stateless beyond what it is given.
 */
final class RerankExplainer {
    private final RerankRequest request;
    private final RerankTrace trace;
    private final Stage stage;

    RerankExplainer(RerankRequest request, RerankTrace trace, Stage stage) {
        this.request = request;
        this.trace = trace;
        this.stage = stage;
    }

    Explanation explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID) throws IOException {
        float firstPass = firstPassExplanation.getValue().floatValue();
        Explanation first = Explanation.match(firstPass, "first pass score", firstPassExplanation);
        if (trace.hasRun() && trace.fallbackReason().isPresent()) {
            return Explanation.match(
                    firstPass,
                    "jarerank: not reranked, first-pass order returned ("
                            + trace.fallbackReason().get() + ")",
                    first);
        }
        if (trace.hasRun() && !trace.reranked(docID)) {
            if (trace.tail().isEmpty()) { // explicit sort: Solr keeps the tail's first-pass scores
                return Explanation.match(
                        firstPass,
                        "jarerank: not reranked (outside the first pass top reRankDocs), first-pass score",
                        first);
            }
            TailScores tail = trace.tail().get();
            return Explanation.match(
                    tail.score(firstPass),
                    "jarerank: not reranked (outside the first pass top reRankDocs); kept in first-pass order below"
                            + " every reranked hit, score = " + tail.describe(),
                    first);
        }
        CrossEncoderRescorer delegate = trace.scorer()
                .orElseGet(() -> new CrossEncoderRescorer(
                        stage.encoder(),
                        request.queryText(),
                        request.scoring(),
                        Cancellation.NONE,
                        st -> {},
                        stage.pairCache()));
        Explanation combined = delegate.explain(searcher, firstPassExplanation, docID);
        String where = trace.hasRun() ? "" : " (scored for explain; whether this hit was reranked is unknown here)";
        Explanation stage1 = Explanation.match(
                combined.getValue(),
                "jarerank: model '" + request.modelName() + "' over " + String.join(" + ", request.fields()) + ", "
                        + combined.getDescription() + where,
                combined.getDetails());
        if (request.cascade() == null) {
            return stage1;
        }
        Optional<Cascade.Applied> stage2 = trace.stage2();
        if (stage2.isEmpty() || stage2.get().scorer().modelScore(docID).isEmpty()) {
            return Explanation.match(
                    stage1.getValue(),
                    "jarerank cascade: stage 1 only (not in the top "
                            + request.cascade().thenDocs() + " of stage 1 that model '"
                            + request.cascade().modelName() + "' reorders)",
                    stage1);
        }
        Explanation second = stage2.get().scorer().explain(searcher, stage1, docID);
        float thenScore = (float) stage2.get().scorer().modelScore(docID).getAsDouble();
        return Explanation.match(
                stage2.get().score(thenScore),
                "jarerank cascade: stage 2, model '" + request.cascade().modelName() + "' reorders the top "
                        + request.cascade().thenDocs() + " of stage 1; score = "
                        + stage2.get().describe(),
                Explanation.match(stage1.getValue(), "stage 1: " + stage1.getDescription(), stage1.getDetails()),
                Explanation.match(
                        thenScore,
                        "stage 2: model '" + request.cascade().modelName() + "', " + second.getDescription(),
                        second.getDetails()));
    }
}
