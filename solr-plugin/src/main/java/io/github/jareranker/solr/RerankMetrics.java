package io.github.jareranker.solr;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import io.github.jareranker.encoder.ScoringStats;
import java.util.concurrent.TimeUnit;
import org.apache.solr.metrics.SolrMetricsContext;

/**
 * The metrics of one {@code jarerank} query parser, registered in the core's registry (visible in
 * {@code /admin/metrics} as {@code QUERYPARSER.<parser name>.<metric>}): {@code requests}, {@code pairs},
 * {@code tokens}, {@code paddedTokens}, {@code batches}, {@code truncatedPairs}, {@code
 * tokenizeTime}, {@code inferenceTime}, {@code fallbacks}, {@code timeouts}, {@code errors}.
 * Thread-safe. {@link #NOOP} records nothing (before the core registered the parser).
 */
final class RerankMetrics {
    static final RerankMetrics NOOP = new RerankMetrics();

    private final Counter requests;
    private final Counter pairs;
    private final Counter tokens;
    private final Counter paddedTokens;
    private final Counter batches;
    private final Counter truncatedPairs;
    private final Timer tokenizeTime;
    private final Timer inferenceTime;
    private final Counter fallbacks;
    private final Counter timeouts;
    private final Counter errors;
    private final Counter rejections;
    private final PipelineMetrics pipeline;

    private RerankMetrics() {
        requests = new Counter();
        pairs = new Counter();
        tokens = new Counter();
        paddedTokens = new Counter();
        batches = new Counter();
        truncatedPairs = new Counter();
        tokenizeTime = new Timer();
        inferenceTime = new Timer();
        fallbacks = new Counter();
        timeouts = new Counter();
        errors = new Counter();
        rejections = new Counter();
        pipeline = new PipelineMetrics();
    }

    RerankMetrics(SolrMetricsContext ctx, String category, String scope) {
        requests = ctx.counter("requests", category, scope);
        pairs = ctx.counter("pairs", category, scope);
        tokens = ctx.counter("tokens", category, scope);
        paddedTokens = ctx.counter("paddedTokens", category, scope);
        batches = ctx.counter("batches", category, scope);
        truncatedPairs = ctx.counter("truncatedPairs", category, scope);
        tokenizeTime = ctx.timer("tokenizeTime", category, scope);
        inferenceTime = ctx.timer("inferenceTime", category, scope);
        fallbacks = ctx.counter("fallbacks", category, scope);
        timeouts = ctx.counter("timeouts", category, scope);
        errors = ctx.counter("errors", category, scope);
        rejections = ctx.counter("rejections", category, scope);
        pipeline = new PipelineMetrics(ctx, category, scope);
    }

    /** The rerank-pipeline metrics (skips, budget, telemetry) registered beside these. */
    PipelineMetrics pipeline() {
        return pipeline;
    }

    void request() {
        requests.inc();
    }

    void scored(ScoringStats s) {
        pairs.inc(s.pairs());
        tokens.inc(s.tokens());
        paddedTokens.inc(s.paddedTokens());
        batches.inc(s.batches());
        truncatedPairs.inc(s.truncatedPairs());
        tokenizeTime.update(s.tokenizeNanos(), TimeUnit.NANOSECONDS);
        inferenceTime.update(s.inferenceNanos(), TimeUnit.NANOSECONDS);
    }

    /** A request answered in first-pass order, and why. */
    void fallback(SolrRerankRescorer.Failure failure) {
        fallbacks.inc();
        failure(failure);
    }

    /** A request not reranked (fallen back, or failed because the model is configured fail-fast). */
    void failure(SolrRerankRescorer.Failure failure) {
        switch (failure) {
            case TIMEOUT:
                timeouts.inc();
                break;
            case OVERLOAD:
                rejections.inc();
                break;
            default:
                errors.inc();
        }
    }
}
