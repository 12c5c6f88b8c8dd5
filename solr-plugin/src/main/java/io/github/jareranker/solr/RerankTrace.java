package io.github.jareranker.solr;

import io.github.jareranker.lucene.CrossEncoderRescorer;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;

/**
 * What one request's reranking did, shared by the rescorer (which records it), the collector (tail
 * scores), explain and the {@code [jarerank]} transformer. The model scores themselves (score and
 * logit) are kept only by the {@link CrossEncoderRescorer} that computed them; the trace points at
 * it, so every reader sees the same numbers.
 *
 * <p>Also the channel between the {@code [jarerank]} transformer and the rank query: the transformer
 * announces itself with {@link #wantModelScores()} when Solr creates it, and the query reads {@link
 * #cacheable()} only when the searcher asks whether to use the queryResultCache, so it does not
 * matter which of the two is created first.
 *
 * <p>One instance per request (per shard request in SolrCloud), kept in the request context and
 * obtained with {@link #of}. Thread-safe: the state is guarded by the trace's monitor, which
 * {@link RerankReplay} also holds while it replays.
 */
final class RerankTrace {
    /** Replays a request's reranking where Solr did not run it ({@link RerankReplay}). */
    @FunctionalInterface
    interface Replay {
        /** @param rows the only hits the caller will ask about, or null for any hit */
        void replayIfNotRun(IndexSearcher searcher, int[] rows) throws IOException;
    }

    /** Request-context key under which the query parser stores the trace of the request. */
    static final String CONTEXT_KEY = RerankTrace.class.getName();

    // What the request asks for (decides the cache bypass).
    private boolean modelScoresWanted;
    private boolean debug;
    // How to replay the reranking where Solr did not run it; released when the request ends.
    private ResponseBuilder responseBuilder;
    private Replay replayer;
    // What the reranking did.
    private boolean rescored;
    private CrossEncoderRescorer scores;
    private Set<Integer> block; // null: the reranked hits are exactly those `scores` scored
    private String fallbackReason;
    private TailScores tail;
    private Cascade.Applied stage2; // null: no cascade (or it did not run)

    /**
     * The trace of {@code req}, created on first use. It remembers the request's search (the {@link
     * ResponseBuilder} of the current request, if any) until the request ends, for {@link RerankReplay}.
     */
    static RerankTrace of(SolrQueryRequest req) {
        return (RerankTrace) req.getContext().computeIfAbsent(CONTEXT_KEY, k -> {
            RerankTrace t = new RerankTrace();
            SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
            if (info != null && info.getReq() == req && info.getResponseBuilder() != null) {
                t.responseBuilder = info.getResponseBuilder();
                // The rank query (and so this trace) may outlive the request as a queryResultCache key.
                info.addCloseHook(t::release);
            }
            return t;
        });
    }

    /** The trace of {@code req} if a jarerank query parser or transformer created one. */
    static Optional<RerankTrace> find(SolrQueryRequest req) {
        Object t = req.getContext().get(CONTEXT_KEY);
        return t instanceof RerankTrace ? Optional.of((RerankTrace) t) : Optional.empty();
    }

    private synchronized void release() {
        responseBuilder = null;
        replayer = null;
    }

    /** The search of the request, while the request runs. */
    synchronized Optional<ResponseBuilder> responseBuilder() {
        return Optional.ofNullable(responseBuilder);
    }

    /** How the request's rank query replays its reranking (see {@link #ensureRun}). */
    synchronized void replayer(Replay replay) {
        this.replayer = replay;
    }

    /**
     * Replays the request's reranking if it did not run in this request (see {@link RerankReplay}); the caller then reads the trace as usual.
     *
     * @param rows the only hits the caller will ask about, or null for any hit
     */
    void ensureRun(IndexSearcher searcher, int[] rows) throws IOException {
        Replay r;
        synchronized (this) {
            if (rescored) {
                return;
            }
            r = replayer;
        }
        if (r != null) {
            r.replayIfNotRun(searcher, rows);
        }
    }

    /** Called by the {@code [jarerank]} transformer (whatever name it is registered under). */
    synchronized void wantModelScores() {
        this.modelScoresWanted = true;
    }

    /** Called by the query parser when the request asks for debug output. */
    synchronized void debug() {
        this.debug = true;
    }

    /**
     * False when this request reports what its own scoring computed (debug output or {@code
     * [jarerank]}), which a cached hit list would not have.
     */
    synchronized boolean cacheable() {
        return !(modelScoresWanted || debug);
    }

    /**
     * Records a completed rescoring: {@code scorer} has scored exactly the reranked hits and is from
     * now on the one place their model scores are read from.
     */
    synchronized void rescored(CrossEncoderRescorer scorer) {
        this.scores = scorer;
        this.block = null;
        this.stage2 = null;
        this.rescored = true;
        this.fallbackReason = null;
    }

    /**
     * Records a replay that scored only some of the reranked hits: {@code block} are the doc ids of
     * all reranked hits, {@code scorer} (null if it scored none) holds the model scores of those the
     * caller asked for.
     */
    synchronized void rescoredRows(Set<Integer> block, CrossEncoderRescorer scorer) {
        this.scores = scorer;
        this.block = Set.copyOf(block);
        this.stage2 = null;
        this.rescored = true;
        this.fallbackReason = null;
    }

    /** Whether {@code docId} was in the reranked block (false before rescoring or after a fallback). */
    synchronized boolean reranked(int docId) {
        if (block != null) {
            return fallbackReason == null && block.contains(docId);
        }
        return scores != null && scores.modelScore(docId).isPresent();
    }

    /** Whether reranking was abandoned in this request ({@link #fellBack}). */
    synchronized boolean fellBack() {
        return fallbackReason != null;
    }

    /** Records that reranking was abandoned and the first-pass order returned. */
    synchronized void fellBack(String reason) {
        this.scores = null;
        this.block = null;
        this.stage2 = null;
        this.rescored = true;
        this.fallbackReason = reason;
    }

    /** Records a cascade's stage 2 (after {@link #rescored}); null for none. */
    synchronized void stage2(Cascade.Applied applied) {
        this.stage2 = applied;
    }

    /** What a cascade's stage 2 did in this request, if it ran. */
    synchronized Optional<Cascade.Applied> stage2() {
        return Optional.ofNullable(stage2);
    }

    synchronized void tail(TailScores tail) {
        this.tail = tail;
    }

    /** True once rescoring ran (or fell back) in this request. */
    synchronized boolean hasRun() {
        return rescored;
    }

    synchronized Optional<String> fallbackReason() {
        return Optional.ofNullable(fallbackReason);
    }

    /** The rescorer that scored this request's reranked hits; empty before that or after a fallback. */
    synchronized Optional<CrossEncoderRescorer> scorer() {
        return Optional.ofNullable(scores);
    }

    /**
     * The model score of a reranked doc; empty for docs outside the reranked block (and, after a
     * replay of some rows only, for reranked docs that were not asked for). For the hits a cascade's
     * stage 2 reordered, the final stage's ({@code then} model's) score.
     */
    synchronized Optional<Float> modelScore(int docId) {
        if (scores == null || (block != null && !block.contains(docId))) {
            return Optional.empty();
        }
        OptionalDouble s =
                stage2 == null ? OptionalDouble.empty() : stage2.scorer().modelScore(docId);
        if (s.isEmpty()) {
            s = scores.modelScore(docId);
        }
        return s.isPresent() ? Optional.of((float) s.getAsDouble()) : Optional.empty();
    }

    synchronized Optional<TailScores> tail() {
        return Optional.ofNullable(tail);
    }
}
