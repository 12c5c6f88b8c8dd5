package io.github.jareranker.solr;

import io.github.jareranker.lucene.CombineOperator;
import io.github.jareranker.lucene.RescorerOptions;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of one {@code rq={!jarerank ...}}: everything that decides the reranked result,
 * built once by {@link CrossEncoderRerankQParser} from the request and the model's configuration and
 * handed to both {@link CrossEncoderRerankQuery} (whose {@code equals}/{@code hashCode}, and so the
 * queryResultCache key, are this value's) and {@link SolrRerankRescorer}. Immutable and thread-safe;
 * holds no per-request state and no resources (the model itself is leased separately).
 *
 * @param model the configured model ({@code model=}): its name, files, engine settings, {@code timeoutMs} and
 *     {@code failOpen} (another configuration gives other scores)
 * @param queryText the text scored against each hit
 * @param requestedReRankDocs the {@code reRankDocs} the request asked for (per shard), at least 1
 * @param maxPairs the pair budget, 0 for none ({@link #reRankDocs()} is capped by it)
 * @param skip why the model is skipped for this request, if it is (decided at parse time; {@link
 *     SkipRules.Reason#FEW_HITS} is decided on the first pass)
 * @param useCache whether the pair-score cache (when configured) is consulted
 * @param scoring fields read, {@code reRankOperator} and {@code reRankWeight}
 * @param tailMode how hits past {@code reRankDocs} are scored
 * @param cascade the second stage ({@code then=}, {@code thenDocs=}), or null for none
 */
record RerankRequest(
        ModelSpec model,
        String queryText,
        int requestedReRankDocs,
        int maxPairs,
        Optional<SkipRules.Reason> skip,
        boolean useCache,
        RescorerOptions scoring,
        TailScores.Mode tailMode,
        Cascade cascade) {

    RerankRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(queryText, "queryText");
        Objects.requireNonNull(skip, "skip");
        Objects.requireNonNull(scoring, "scoring");
        Objects.requireNonNull(tailMode, "tailMode");
        if (requestedReRankDocs < 1 || maxPairs < 0) {
            throw new IllegalArgumentException("reRankDocs must be at least 1 and maxPairs at least 0, got "
                    + requestedReRankDocs + ", " + maxPairs);
        }
    }

    String modelName() {
        return model.name();
    }

    /** The model's scoring budget in milliseconds, 0 for none. */
    long timeoutMs() {
        return model.timeoutMs();
    }

    /** Whether a scoring failure answers in first-pass order (else the request fails). */
    boolean failOpen() {
        return model.failOpen();
    }

    /** The first-pass hits the model scores at most (per shard): reRankDocs capped by the pair budget. */
    int reRankDocs() {
        return maxPairs > 0 ? Math.min(requestedReRankDocs, maxPairs) : requestedReRankDocs;
    }

    /** Whether the budget cut the window, given the first pass found {@code numFound} hits. */
    boolean budgetLimited(long numFound) {
        return maxPairs > 0 && requestedReRankDocs > maxPairs && numFound > maxPairs;
    }

    List<String> fields() {
        return scoring.fields();
    }

    float weight() {
        return scoring.weight();
    }

    CombineOperator operator() {
        return scoring.operator();
    }

    /** The request in local-params syntax, for logs and {@code debug.parsedquery}. */
    @Override
    public String toString() {
        return "{!jarerank model=" + modelName() + " reRankDocs=" + reRankDocs() + " reRankWeight=" + weight()
                + " reRankOperator=" + operator().name().toLowerCase(Locale.ROOT) + " reRankFields="
                + String.join(",", fields())
                + scoring.passages().map(p -> " " + p).orElse("") + " reRankText='"
                + queryText + "'" + (cascade == null ? "" : " " + cascade) + "}";
    }
}
