package io.github.jareranker.solr;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.solr.search.AbstractReRankQuery;
import org.apache.solr.search.QueryCommand;

/**
 * The rank query behind {@code rq={!jarerank ...}}: Solr's {@link AbstractReRankQuery} (so {@code
 * ReRankCollector}, elevation, collapse, explain and {@code originalScore()} work as for Solr's own
 * {@code rerank}) with a cross-encoder rescorer and monotonic tail scores ({@link
 * MonotonicReRankCollector}).
 *
 * <p>{@link #equals}/{@link #hashCode} are the main query's and the {@link RerankRequest}'s, which
 * holds every setting that changes the result, because the query is part of the queryResultCache
 * key. Per-request state (the rescorer and its trace) is not part of equality, except that a request
 * that fell back equals no other (see {@link #equals}). Instances are confined to one request.
 */
public final class CrossEncoderRerankQuery extends AbstractReRankQuery {
    private static final Query DEFAULT_MAIN = new MatchAllDocsQuery();

    private final RerankRequest request;
    private final SolrRerankRescorer rescorer;

    CrossEncoderRerankQuery(RerankRequest request, SolrRerankRescorer rescorer) {
        super(DEFAULT_MAIN, request.reRankDocs(), rescorer);
        this.request = Objects.requireNonNull(request, "request");
        this.rescorer = Objects.requireNonNull(rescorer, "rescorer");
    }

    /** The first-pass query this rank query wraps. */
    public Query mainQuery() {
        return mainQuery;
    }

    @Override
    public TopDocsCollector<? extends ScoreDoc> getTopDocsCollector(int len, QueryCommand cmd, IndexSearcher searcher)
            throws IOException {
        TopDocsCollector<? extends ScoreDoc> solr = super.getTopDocsCollector(len, cmd, searcher);
        return new MonotonicReRankCollector(
                solr, reRankDocs, cmd.getSort() == null, request.tailMode(), rescorer.trace());
    }

    @Override
    protected Query rewrite(Query rewrittenMainQuery) throws IOException {
        return new CrossEncoderRerankQuery(request, rescorer).wrap(rewrittenMainQuery);
    }

    /**
     * False when the request asks for debug output or the {@code [jarerank]} transformer (which
     * announces itself in the request, under whatever name it is registered): both report what this
     * request's scoring computed. Read when the searcher asks, i.e. after the request's return fields
     * (and so the transformer) were created.
     */
    @Override
    public boolean getCache() {
        return rescorer.trace().cacheable() && super.getCache();
    }

    /**
     * Equal main queries and requests, unless either request fell back to the first-pass order: Solr puts a request's
     * result into its queryResultCache after the search, keyed by this query, and does not know about a fallback
     * (only its own time limits mark a result partial). A query that fell back equals nothing but itself, so that
     * stored first-pass order is never served to a later request as if it were reranked, without the
     * partialResults flag (StandaloneRerankTest.testAFallbackIsNeverServedFromTheQueryResultCache).
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!sameClassAs(other)) {
            return false;
        }
        CrossEncoderRerankQuery o = (CrossEncoderRerankQuery) other;
        return !rescorer.trace().fellBack()
                && !o.rescorer.trace().fellBack()
                && mainQuery.equals(o.mainQuery)
                && request.equals(o.request);
    }

    @Override
    public int hashCode() {
        return 31 * classHash() + Objects.hash(mainQuery, request);
    }

    @Override
    public String toString(String field) {
        String r = request.toString();
        return r.substring(0, r.length() - 1) + " mainQuery='" + mainQuery + "'}";
    }
}
