package io.github.jareranker.solr;

import io.github.jareranker.lucene.CrossEncoderRescorer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.IncompleteRerankingException;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * The request's reranking, replayed where Solr's collector did not run it: SolrCloud's second shard request (stored
 * fields, {@code [jarerank]} and explain for the merged page's ids, without a search) and hit lists from the
 * queryResultCache. The trace calls it through {@link RerankTrace.Replay}, so neither the trace nor its readers point
 * at the rescorer. One instance per request; thread-safe (it holds the trace's monitor while it replays).
 */
final class RerankReplay implements RerankTrace.Replay {
    /** What the replay asks of the request's rescorer (so that this class does not point back at it). */
    interface Window {
        /** Rescores {@code firstPass} as the collector would, without reporting (the window already reported). */
        TopDocs rescoreWindow(IndexSearcher searcher, TopDocs firstPass, int topN, long numFound, boolean report)
                throws IOException;

        /** Records that the model was skipped for {@code reason}, without reporting. */
        TopDocs firstPassOrder(SkipRules.Reason reason, TopDocs firstPass, int topN, boolean report);
    }

    private final Window rescorer;
    private final RerankRequest request;
    private final RerankTrace trace;

    RerankReplay(Window rescorer, RerankRequest request, RerankTrace trace) {
        this.rescorer = rescorer;
        this.request = request;
        this.trace = trace;
    }

    /**
     * Makes the trace answer for this request when its collector did not run here: in SolrCloud's
     * second shard request (stored fields, {@code [jarerank]} and explain for the merged page's ids,
     * without a search) or for a hit list from the queryResultCache. Replays what the collector
     * would have done on this searcher: the first pass (main query, filters, sort of the request) for
     * the top {@code reRankDocs}, their rescoring, and the tail scores. Does nothing when the
     * collector ran, or when the request has no search to replay (then the trace stays empty).
     *
     * <p>Given {@code rows} (the {@code [jarerank]} transformer's page), only those of the reranked
     * hits are scored, as Solr LTR's feature logger does, when no other hit's score is needed for
     * the tail scores (tail mode {@link TailScores.Mode#GLOBAL}, or an explicit sort).
     *
     * @param searcher the searcher of this request (the hits' doc ids are relative to it)
     * @param rows the only hits the caller will ask about, or null for any hit (explain)
     */
    @Override
    public void replayIfNotRun(IndexSearcher searcher, int[] rows) throws IOException {
        if (trace.hasRun()) {
            return;
        }
        Optional<ResponseBuilder> rb = trace.responseBuilder();
        if (rb.isEmpty() || rb.get().getQuery() == null || !(searcher instanceof SolrIndexSearcher)) {
            return;
        }
        synchronized (trace) {
            if (trace.hasRun()) {
                return;
            }
            Sort sort = rb.get().getSortSpec() == null
                    ? null
                    : rb.get().getSortSpec().getSort();
            DocList block = ((SolrIndexSearcher) searcher)
                    .getDocList(
                            rb.get().getQuery(),
                            rb.get().getFilters(),
                            sort,
                            0,
                            request.reRankDocs(),
                            SolrIndexSearcher.GET_SCORES);
            if (block.size() == 0) {
                return; // nothing matched: nothing to explain or to report
            }
            ScoreDoc[] firstPass = new ScoreDoc[block.size()];
            DocIterator it = block.iterator();
            for (int i = 0; i < firstPass.length; i++) {
                int doc = it.nextDoc();
                firstPass[i] = new ScoreDoc(doc, block.hasScores() ? it.score() : Float.NaN);
            }
            long numFound = block.matches();
            // A cascade's stage 2 depends on the whole window's stage-1 order: no partial replay.
            if (rows != null
                    && request.cascade() == null
                    && (sort != null || request.tailMode() == TailScores.Mode.GLOBAL)) {
                replayRows(searcher, firstPass, rows, sort == null, numFound);
                return;
            }
            TopDocs rescored;
            try {
                rescored = rescorer.rescoreWindow(searcher, topDocs(firstPass), firstPass.length, numFound, false);
            } catch (IncompleteRerankingException e) {
                return; // the trace says why
            }
            if (sort == null) { // as the collector: tail scores are remapped in score order only
                ScoreDoc[] reranked = rescored.scoreDocs;
                trace.tail(TailScores.of(request.tailMode(), reranked, reranked.length));
            }
        }
    }

    /** Scores the hits of {@code firstPass} (the reranked block) that are among {@code rows}. */
    private void replayRows(IndexSearcher searcher, ScoreDoc[] firstPass, int[] rows, boolean scoreOrder, long numFound)
            throws IOException {
        Optional<SkipRules.Reason> skip = request.skip().or(() -> SkipRules.atRescore(numFound));
        if (skip.isPresent()) {
            rescorer.firstPassOrder(skip.get(), topDocs(firstPass), 0, false);
            return;
        }
        Set<Integer> wanted = new HashSet<>();
        for (int doc : rows) {
            wanted.add(doc);
        }
        Set<Integer> block = new HashSet<>();
        List<ScoreDoc> toScore = new ArrayList<>();
        for (ScoreDoc hit : firstPass) {
            block.add(hit.doc);
            if (wanted.contains(hit.doc)) {
                toScore.add(hit);
            }
        }
        CrossEncoderRescorer scorer = null;
        if (!toScore.isEmpty()) {
            try {
                rescorer.rescoreWindow(
                        searcher, topDocs(toScore.toArray(new ScoreDoc[0])), toScore.size(), numFound, false);
            } catch (IncompleteRerankingException e) {
                return; // the trace says why
            }
            scorer = trace.scorer().orElseThrow();
        }
        trace.rescoredRows(block, scorer);
        if (scoreOrder) {
            trace.tail(TailScores.global());
        }
    }

    private static TopDocs topDocs(ScoreDoc[] hits) {
        return new TopDocs(new TotalHits(hits.length, TotalHits.Relation.EQUAL_TO), hits);
    }
}
