package io.github.jareranker.solr;

import io.github.jareranker.encoder.Cancellation;
import io.github.jareranker.encoder.ScoringCancelledException;
import io.github.jareranker.encoder.ScoringException;
import io.github.jareranker.encoder.ScoringRejectedException;
import io.github.jareranker.lucene.CrossEncoderRescorer;
import io.github.jareranker.lucene.RescorerOptions;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.search.IncompleteRerankingException;
import org.apache.solr.search.QueryLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Solr side of the rescoring, and only that: it sets up cancellation, runs the request's stage(s) through {@link
 * CrossEncoderRescorer} (which scores, combines with the first-pass score per {@code reRankOperator}/{@code
 * reRankWeight} and sorts), records the outcome in the request's {@link RerankTrace}, and maps failures onto Solr's
 * contract:
 *
 * <ul>
 *   <li>Solr's {@code timeAllowed}/{@code cpuAllowed} limits trip: {@link QueryLimits} marks the
 *       response {@code partialResults} (or fails the request when partial results are disallowed)
 *       and {@link IncompleteRerankingException} makes Solr's {@code ReRankCollector} return the
 *       first-pass order;
 *   <li>the model's own {@code timeoutMs} passes, or scoring fails: with {@code failOpen=true} the
 *       same first-pass fallback with {@code partialResults=true} and a {@code partialResultsDetails}
 *       line; with {@code failOpen=false} a {@link FailFastException} (HTTP 503 for a timeout or
 *       overload, 500 for a model error).
 * </ul>
 *
 * <p>Elsewhere: the header and window metrics ({@link RerankHeader}), replays where Solr did not run the collector
 * ({@link RerankReplay}), explanations ({@link RerankExplainer}).
 *
 * <p>One instance per parsed rank query (one request); it does not own the encoders (the parser's leases keep them
 * open) and holds no per-request state besides the trace. Thread-safe.
 */
final class SolrRerankRescorer extends Rescorer implements RerankReplay.Window {
    private static final Logger log = LoggerFactory.getLogger(SolrRerankRescorer.class);
    /**
     * How often a request waiting for the inference workers polls Solr's limits (timeAllowed, cpuAllowed, ...): a
     * limit reached is noticed within this much, and 16 waiting requests wake up 3,200 times a second, not 16,000.
     */
    private static final long SOLR_LIMITS_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RerankRequest request;
    private final Stage stage;
    private final Stage thenStage; // null: no cascade
    private final RerankMetrics metrics;
    private final RerankTrace trace;
    // Made on first use: a request whose collector ran and that asks for no explain never needs them.
    private volatile RerankReplay replay;
    private volatile RerankExplainer explainer;

    /**
     * @param request this request's settings
     * @param stage the request's model
     * @param thenStage the {@code then} model of a cascade (null when the request has none)
     * @param metrics where scoring work, fallbacks and failures are counted
     * @param trace this request's record of what reranking did; it learns from here how to replay
     */
    SolrRerankRescorer(RerankRequest request, Stage stage, Stage thenStage, RerankMetrics metrics, RerankTrace trace) {
        if ((request.cascade() == null) != (thenStage == null)) {
            throw new IllegalArgumentException("a cascade needs its then model's stage, and only a cascade");
        }
        this.request = Objects.requireNonNull(request, "request");
        this.stage = Objects.requireNonNull(stage, "stage");
        this.thenStage = thenStage;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.trace = Objects.requireNonNull(trace, "trace");
        trace.replayer((searcher, rows) -> replay().replayIfNotRun(searcher, rows));
    }

    RerankTrace trace() {
        return trace;
    }

    @Override
    public TopDocs rescore(IndexSearcher searcher, TopDocs firstPass, int topN) throws IOException {
        return rescoreWindow(searcher, firstPass, topN, LuceneApi.totalHits(firstPass), true);
    }

    @Override
    public Explanation explain(IndexSearcher searcher, Explanation firstPassExplanation, int docID) throws IOException {
        replay().replayIfNotRun(searcher, null);
        RerankExplainer e = explainer;
        if (e == null) {
            explainer = e = new RerankExplainer(request, trace, stage);
        }
        return e.explain(searcher, firstPassExplanation, docID);
    }

    private RerankReplay replay() {
        RerankReplay r = replay;
        if (r == null) {
            replay = r = new RerankReplay(this, request, trace); // a second copy, if two threads race, is harmless
        }
        return r;
    }

    /**
     * {@link #rescore(IndexSearcher, TopDocs, int)} of hits of a first pass that found {@code numFound};
     * {@code report}: write the header and the window metrics (false for a replay, which repeats a
     * reranking that already reported, or scores part of a window only).
     */
    @Override
    public TopDocs rescoreWindow(IndexSearcher searcher, TopDocs firstPass, int topN, long numFound, boolean report)
            throws IOException {
        Optional<SkipRules.Reason> skip = request.skip().or(() -> SkipRules.atRescore(numFound));
        if (skip.isPresent()) {
            return firstPassOrder(skip.get(), firstPass, topN, report);
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
        CrossEncoderRescorer first = rescorer(stage, request.scoring(), cancellation);
        TopDocs rescored;
        Cascade.Applied stage2 = null;
        try {
            rescored = first.rescore(searcher, firstPass, topN);
            if (thenStage != null) {
                Cascade.Result result =
                        request.cascade().apply(searcher, rescored, rescorer(thenStage, thenOptions(), cancellation));
                rescored = result.hits();
                stage2 = result.applied();
            }
        } catch (ScoringCancelledException e) {
            if (solrLimits && limits.shouldExit()) {
                // Solr's own time/CPU limit: Solr decides between partial results and an error.
                trace.fellBack("Solr query limit reached during reranking");
                metrics.fallback(RerankFailure.TIMEOUT);
                limits.maybeExitWithPartialResults("jarerank reranking with model '" + request.modelName() + "'");
                throw new IncompleteRerankingException();
            }
            String msg = "jarerank model '" + request.modelName() + "' exceeded timeoutMs=" + request.timeoutMs()
                    + " while scoring " + firstPass.scoreDocs.length + " hits";
            return fail(msg, RerankFailure.TIMEOUT, e);
        } catch (ScoringRejectedException e) {
            String msg = "jarerank model '" + request.modelName()
                    + "' was not run, the inference workers are saturated: " + e.getMessage();
            return fail(msg, RerankFailure.OVERLOAD, e);
        } catch (ScoringException | IllegalStateException e) {
            String msg = "jarerank model '" + request.modelName() + "' failed: " + e.getMessage();
            return fail(msg, RerankFailure.ERROR, e);
        }

        trace.rescored(first);
        trace.stage2(stage2);
        if (report) {
            RerankHeader.window(metrics, request, firstPass, rescored, numFound);
        }
        return rescored;
    }

    private CrossEncoderRescorer rescorer(Stage s, RescorerOptions options, Cancellation cancellation) {
        return new CrossEncoderRescorer(
                s.encoder(), request.queryText(), options, cancellation, metrics::scored, s.pairCache());
    }

    /** Stage 2 of a cascade scores the same fields with the {@code then} model alone (replace, weight 1). */
    private RescorerOptions thenOptions() {
        return RescorerOptions.builder().fields(request.fields()).build();
    }

    /**
     * Answers in first-pass order without running the model (no partialResults: nothing failed);
     * {@code report}: flag the reason in the response header and count it.
     */
    @Override
    public TopDocs firstPassOrder(SkipRules.Reason reason, TopDocs firstPass, int topN, boolean report) {
        if (report) {
            RerankHeader.skipped(metrics, reason);
        }
        trace.fellBack("model skipped: " + reason.description());
        ScoreDoc[] hits = new ScoreDoc[Math.min(Math.max(topN, 0), firstPass.scoreDocs.length)];
        for (int i = 0; i < hits.length; i++) {
            ScoreDoc d = firstPass.scoreDocs[i];
            hits[i] = new ScoreDoc(d.doc, d.score, d.shardIndex);
        }
        return new TopDocs(firstPass.totalHits, hits);
    }

    /** failOpen=false: the request fails with the failure's status; else the first-pass order, flagged partial. */
    private TopDocs fail(String message, RerankFailure failure, RuntimeException cause) {
        if (!request.failOpen()) {
            metrics.failure(failure);
            throw new FailFastException(
                    failure, message + " (failOpen=false in solrconfig.xml, so the request fails)", cause);
        }
        metrics.fallback(failure);
        if (failure != RerankFailure.ERROR) {
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
}
