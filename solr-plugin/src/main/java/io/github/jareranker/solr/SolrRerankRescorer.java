package io.github.jareranker.solr;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoringCancelledException;
import io.github.jareranker.encoder.ScoringException;
import io.github.jareranker.encoder.ScoringRejectedException;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.PairScoreCache;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.solr.common.SolrException;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.IncompleteRerankingException;
import org.apache.solr.search.QueryLimits;
import org.apache.solr.search.SolrIndexSearcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Solr side of the rescoring: runs {@link CrossEncoderRescorer} (which scores, combines with the
 * first-pass score per {@code reRankOperator}/{@code reRankWeight} and sorts), records in the
 * request's {@link RerankTrace} which rescorer holds the reranked hits' model scores (for explain
 * and {@code [jarerank]}), replays the reranking where Solr did not run it ({@link
 * #replayIfNotRun}), and maps failures onto Solr's contract:
 *
 * <ul>
 *   <li>Solr's {@code timeAllowed}/{@code cpuAllowed} limits trip: {@link QueryLimits} marks the
 *       response {@code partialResults} (or fails the request when partial results are disallowed)
 *       and {@link IncompleteRerankingException} makes Solr's {@code ReRankCollector} return the
 *       first-pass order;
 *   <li>the model's own {@code timeoutMs} passes, or scoring fails: with {@code failOpen=true} the
 *       same first-pass fallback with {@code partialResults=true} and a {@code partialResultsDetails}
 *       line; with {@code failOpen=false} a {@link FailFastException} (HTTP 503 for a timeout, 500
 *       for a model error).
 * </ul>
 *
 * <p>One instance per parsed rank query (one request); it does not own the encoder (the parser's
 * lease keeps it open) and holds no per-request state besides the trace. Thread-safe.
 */
final class SolrRerankRescorer extends Rescorer {
    private static final Logger log = LoggerFactory.getLogger(SolrRerankRescorer.class);
    /**
     * How often a request waiting for the inference workers polls Solr's limits (timeAllowed, cpuAllowed, ...): a
     * limit reached is noticed within this much, and 16 waiting requests wake up 3,200 times a second, not 16,000.
     */
    private static final long SOLR_LIMITS_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RerankRequest request;
    private final CrossEncoder encoder;
    private final RerankMetrics metrics;
    private final RerankTrace trace;
    private final PairScoreCache.Binding pairCache; // null: none
    private final CrossEncoder thenEncoder; // null: no cascade
    private final PairScoreCache.Binding thenPairCache; // null: none

    /**
     * @param request this request's settings
     * @param encoder the leased model (not closed here)
     * @param metrics where scoring work, fallbacks and failures are counted
     * @param trace this request's record of what reranking did
     * @param pairCache the model's pair-score cache, or null for none
     * @param thenEncoder the leased {@code then} model of a cascade (null when the request has none)
     * @param thenPairCache the {@code then} model's pair-score cache, or null for none
     */
    SolrRerankRescorer(
            RerankRequest request,
            CrossEncoder encoder,
            RerankMetrics metrics,
            RerankTrace trace,
            PairScoreCache.Binding pairCache,
            CrossEncoder thenEncoder,
            PairScoreCache.Binding thenPairCache) {
        if ((request.cascade() == null) != (thenEncoder == null)) {
            throw new IllegalArgumentException("a cascade needs its then model's encoder, and only a cascade");
        }
        this.pairCache = pairCache;
        this.thenEncoder = thenEncoder;
        this.thenPairCache = thenPairCache;
        this.request = Objects.requireNonNull(request, "request");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    RerankTrace trace() {
        return trace;
    }

    @Override
    public TopDocs rescore(IndexSearcher searcher, TopDocs firstPass, int topN) throws IOException {
        return rescore(searcher, firstPass, topN, LuceneApi.totalHits(firstPass), true);
    }

    /**
     * {@link #rescore(IndexSearcher, TopDocs, int)} of hits of a first pass that found {@code numFound};
     * {@code report}: write the header and the window metrics (false for a replay, which repeats a
     * reranking that already reported, or scores part of a window only).
     */
    private TopDocs rescore(IndexSearcher searcher, TopDocs firstPass, int topN, long numFound, boolean report)
            throws IOException {
        Optional<SkipRules.Reason> skip = request.pipeline().skip().or(() -> SkipRules.atRescore(numFound));
        if (skip.isPresent()) {
            return skipped(skip.get(), firstPass, topN, report);
        }
        metrics.request();
        QueryLimits limits = QueryLimits.getCurrentLimits();
        boolean solrLimits = limits.isLimitsEnabled();
        Cancellation timeout = request.timeoutMs() > 0
                ? Cancellation.deadline(System.nanoTime() + request.timeoutMs() * 1_000_000L)
                : Cancellation.NONE;
        // Solr's limits (timeAllowed, cpuAllowed, ...) can only be polled; without them only the model's own
        // deadline (if any) cancels, and a request waiting for the workers sleeps until it is done.
        Cancellation cancellation =
                solrLimits ? timeout.or(Cancellation.polled(limits::shouldExit, SOLR_LIMITS_RECHECK_NANOS)) : timeout;
        CrossEncoderRescorer delegate = new CrossEncoderRescorer(
                encoder, request.queryText(), request.scoring(), cancellation, metrics::scored, pairCache);
        TopDocs rescored;
        Cascade.Applied[] stage2 = new Cascade.Applied[1];
        try {
            rescored = delegate.rescore(searcher, firstPass, topN);
            if (request.cascade() != null) {
                CrossEncoderRescorer second = new CrossEncoderRescorer(
                        thenEncoder, request.queryText(), thenOptions(), cancellation, metrics::scored, thenPairCache);
                rescored = request.cascade().apply(searcher, rescored, second, stage2);
            }
        } catch (ScoringCancelledException e) {
            if (solrLimits && limits.shouldExit()) {
                // Solr's own time/CPU limit: Solr decides between partial results and an error.
                trace.fellBack("Solr query limit reached during reranking");
                metrics.fallback(Failure.TIMEOUT);
                limits.maybeExitWithPartialResults("jarerank reranking with model '" + request.modelName() + "'");
                throw new IncompleteRerankingException();
            }
            String msg = "jarerank model '" + request.modelName() + "' exceeded timeoutMs=" + request.timeoutMs()
                    + " while scoring " + firstPass.scoreDocs.length + " hits";
            return fail(msg, Failure.TIMEOUT, e);
        } catch (ScoringRejectedException e) {
            String msg = "jarerank model '" + request.modelName()
                    + "' was not run, the inference workers are saturated: " + e.getMessage();
            return fail(msg, Failure.OVERLOAD, e);
        } catch (ScoringException | IllegalStateException e) {
            String msg = "jarerank model '" + request.modelName() + "' failed: " + e.getMessage();
            return fail(msg, Failure.ERROR, e);
        }

        trace.rescored(delegate);
        trace.stage2(stage2[0]);
        if (report) {
            report(firstPass, rescored, numFound);
        }
        return rescored;
    }

    /** Stage 2 of a cascade scores the same fields with the {@code then} model alone (replace, weight 1). */
    private RescorerOptions thenOptions() {
        return RescorerOptions.builder().fields(request.fields()).build();
    }

    /** The pair budget and the window's telemetry, in the response header and the metrics. */
    private void report(TopDocs firstPass, TopDocs rescored, long numFound) {
        if (request.pipeline().budgetLimited(numFound)) {
            metrics.pipeline().budgetLimited();
            RerankHeader.put("budgetLimited", true);
            RerankHeader.put("pairsScored", firstPass.scoreDocs.length);
        }
        if (rescored.scoreDocs.length == firstPass.scoreDocs.length) { // always, as the collector asks for all
            WindowTelemetry t = WindowTelemetry.of(firstPass.scoreDocs, rescored.scoreDocs);
            metrics.pipeline().window(t);
            RerankHeader.put("reRankCutoff", t.cutoff());
            RerankHeader.put("displacedTop10", t.displacedTop10());
            t.kendallTau().ifPresent(tau -> RerankHeader.put("kendallTau", (float) tau));
        }
    }

    /**
     * Answers in first-pass order without running the model (no partialResults: nothing failed),
     * flags the reason in the response header and counts it.
     */
    private TopDocs skipped(SkipRules.Reason reason, TopDocs firstPass, int topN, boolean report) {
        if (report) {
            metrics.pipeline().skipped(reason);
            RerankHeader.put("skipped", reason.key());
        }
        trace.fellBack("model skipped: " + reason.description());
        ScoreDoc[] hits = new ScoreDoc[Math.min(Math.max(topN, 0), firstPass.scoreDocs.length)];
        for (int i = 0; i < hits.length; i++) {
            ScoreDoc d = firstPass.scoreDocs[i];
            hits[i] = new ScoreDoc(d.doc, d.score, d.shardIndex);
        }
        return new TopDocs(firstPass.totalHits, hits);
    }

    /** Why a request was not reranked: each has its own counter and, with failOpen=false, HTTP status. */
    enum Failure {
        /** timeoutMs or Solr's timeAllowed ran out: 503. */
        TIMEOUT,
        /** The inference pool turned the call away (queue full or waited too long): 503. */
        OVERLOAD,
        /** The model or ONNX Runtime failed: 500. */
        ERROR
    }

    private TopDocs fail(String message, Failure failure, RuntimeException cause) {
        if (!request.failOpen()) {
            metrics.failure(failure);
            throw new FailFastException(
                    failure == Failure.ERROR
                            ? SolrException.ErrorCode.SERVER_ERROR
                            : SolrException.ErrorCode.SERVICE_UNAVAILABLE,
                    message + " (failOpen=false in solrconfig.xml, so the request fails)",
                    cause);
        }
        metrics.fallback(failure);
        if (failure != Failure.ERROR) {
            log.warn("{}; returning first-pass order", message);
        } else {
            log.warn("{}; returning first-pass order", message, cause);
        }
        trace.fellBack(message);
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        if (info != null && info.getRsp() != null) {
            SolrQueryResponse rsp = info.getRsp();
            if (rsp.getResponseHeader() != null) {
                rsp.setPartialResults(info.getReq());
                rsp.addPartialResponseDetail(message + "; results are in first-pass order");
            }
        }
        throw new IncompleteRerankingException();
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
    void replayIfNotRun(IndexSearcher searcher, int[] rows) throws IOException {
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
                rescored = rescore(searcher, topDocs(firstPass), firstPass.length, numFound, false);
            } catch (IncompleteRerankingException e) {
                return; // the trace says why
            }
            if (sort == null) { // as the collector: tail scores are remapped in score order only
                ScoreDoc[] reranked = rescored.scoreDocs;
                trace.tail(MonotonicReRankCollector.tailScores(request.tailMode(), reranked, reranked.length));
            }
        }
    }

    /** Scores the hits of {@code firstPass} (the reranked block) that are among {@code rows}. */
    private void replayRows(IndexSearcher searcher, ScoreDoc[] firstPass, int[] rows, boolean scoreOrder, long numFound)
            throws IOException {
        Optional<SkipRules.Reason> skip = request.pipeline().skip().or(() -> SkipRules.atRescore(numFound));
        if (skip.isPresent()) {
            skipped(skip.get(), topDocs(firstPass), 0, false);
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
                rescore(searcher, topDocs(toScore.toArray(new ScoreDoc[0])), toScore.size(), numFound, false);
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

    @Override
    public Explanation explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID) throws IOException {
        replayIfNotRun(searcher, null);
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
                        encoder, request.queryText(), request.scoring(), Cancellation.NONE, st -> {}, pairCache));
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

    /** A failure the operator asked to surface (failOpen=false); carries its own HTTP status. */
    static final class FailFastException extends SolrException {
        private static final long serialVersionUID = 1L;

        FailFastException(ErrorCode code, String message, Throwable cause) {
            super(code, message, cause);
        }
    }
}
