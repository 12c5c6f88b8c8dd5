package io.github.jareranker.solr;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.solr.common.SolrException;

/**
 * Wraps Solr's {@code ReRankCollector} (which brings elevation, collapse, {@code originalScore()} and
 * the {@code IncompleteRerankingException} fallback) and fixes the scores of the hits past {@code
 * reRankDocs}: Solr lays them under the reranked block with their raw first-pass scores, so a BM25
 * tail of 5.3 could sit under model scores of 0..1. Here they get {@link TailScores} instead, which
 * keeps their first-pass order, keeps them below every reranked hit and keeps scores non-increasing
 * down the list. The objects are changed in place so Solr's per-hit original score survives.
 *
 * <p>Also restores the HTTP status of a {@link FailFastException}, which Solr's
 * collector would otherwise report as a 400. Not thread-safe (one search).
 */
final class MonotonicReRankCollector extends TopDocsCollector<ScoreDoc> {
    private final TopDocsCollector<? extends ScoreDoc> inner;
    private final int reRankDocs;
    private final boolean scoreOrder;
    private final TailScores.Mode mode;
    private final RerankTrace trace;

    MonotonicReRankCollector(
            TopDocsCollector<? extends ScoreDoc> inner,
            int reRankDocs,
            boolean scoreOrder,
            TailScores.Mode mode,
            RerankTrace trace) {
        super(null);
        this.inner = inner;
        this.reRankDocs = reRankDocs;
        this.scoreOrder = scoreOrder;
        this.mode = mode;
        this.trace = trace;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        return inner.getLeafCollector(context);
    }

    @Override
    public ScoreMode scoreMode() {
        return inner.scoreMode();
    }

    @Override
    public int getTotalHits() {
        return inner.getTotalHits();
    }

    @Override
    public TopDocs topDocs() {
        return topDocs(0, Integer.MAX_VALUE);
    }

    @Override
    public TopDocs topDocs(int start) {
        return topDocs(start, Integer.MAX_VALUE);
    }

    @Override
    public TopDocs topDocs(int start, int howMany) {
        TopDocs td;
        try {
            td = inner.topDocs(start, howMany);
        } catch (SolrException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof FailFastException) {
                    throw (FailFastException) t;
                }
            }
            throw e;
        }
        if (!scoreOrder || !trace.hasRun() || trace.fallbackReason().isPresent()) {
            return td;
        }
        ScoreDoc[] docs = td.scoreDocs;
        // docs[i] is hit number start + i; the first reRankDocs hits are the reranked block.
        int reranked = (int) Math.max(0, Math.min((long) reRankDocs - start, docs.length));
        TailScores tail = TailScores.of(mode, docs, reranked);
        trace.tail(tail);
        for (int i = reranked; i < docs.length; i++) {
            docs[i].score = tail.score(docs[i].score);
        }
        return td;
    }
}
