package io.github.jareranker.solr;

import java.util.Objects;
import java.util.Optional;

/**
 * The pipeline part of one {@code rq={!jarerank ...}}: a skip decided when the query was parsed, and
 * the pair budget. Part of {@link RerankRequest}, so of the queryResultCache key. Immutable.
 *
 * @param skip why the model is skipped for this request, if it is (decided at parse time; {@link
 *     SkipRules.Reason#FEW_HITS} is decided on the first pass)
 * @param requestedReRankDocs the {@code reRankDocs} the request asked for
 * @param maxPairs the pair budget, 0 for none; {@link RerankRequest#reRankDocs()} is already capped by it
 * @param useCache whether the pair-score cache (when configured) is consulted
 */
record PipelineRequest(Optional<SkipRules.Reason> skip, int requestedReRankDocs, int maxPairs, boolean useCache) {
    PipelineRequest {
        Objects.requireNonNull(skip, "skip");
        if (requestedReRankDocs < 1 || maxPairs < 0) {
            throw new IllegalArgumentException("requestedReRankDocs >= 1 and maxPairs >= 0 required");
        }
    }

    /** The hits the model scores at most: reRankDocs capped by the budget. */
    int effectiveReRankDocs() {
        return maxPairs > 0 ? Math.min(requestedReRankDocs, maxPairs) : requestedReRankDocs;
    }

    /** Whether the budget cut the window, given the first pass found {@code numFound} hits. */
    boolean budgetLimited(long numFound) {
        return maxPairs > 0 && requestedReRankDocs > maxPairs && numFound > maxPairs;
    }
}
