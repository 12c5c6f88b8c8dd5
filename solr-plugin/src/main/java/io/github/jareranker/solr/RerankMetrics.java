package io.github.jareranker.solr;

import io.github.jareranker.encoder.ScoringStats;
import java.util.function.LongConsumer;

/**
 * The metrics of one {@code jarerank} query parser, registered in the core's registry through the Solr major's
 * {@link MetricsBridge} (visible in {@code /admin/metrics}; names in {@link MetricName}): {@code requests}, {@code pairs},
 * {@code tokens}, {@code paddedTokens}, {@code batches}, {@code truncatedPairs}, {@code
 * tokenizeTime}, {@code inferenceTime}, {@code fallbacks}, {@code timeouts}, {@code errors}.
 * Thread-safe. {@link #NOOP} records nothing (before the core registered the parser).
 */
final class RerankMetrics {
    private static final LongConsumer NONE = n -> {}; // before NOOP: its constructor reads it
    static final RerankMetrics NOOP = new RerankMetrics();

    private final LongConsumer requests;
    private final LongConsumer pairs;
    private final LongConsumer tokens;
    private final LongConsumer paddedTokens;
    private final LongConsumer batches;
    private final LongConsumer truncatedPairs;
    private final LongConsumer tokenizeTime;
    private final LongConsumer inferenceTime;
    private final LongConsumer fallbacks;
    private final LongConsumer timeouts;
    private final LongConsumer errors;
    private final LongConsumer rejections;
    private final PipelineMetrics pipeline;

    private RerankMetrics() {
        requests = NONE;
        pairs = NONE;
        tokens = NONE;
        paddedTokens = NONE;
        batches = NONE;
        truncatedPairs = NONE;
        tokenizeTime = NONE;
        inferenceTime = NONE;
        fallbacks = NONE;
        timeouts = NONE;
        errors = NONE;
        rejections = NONE;
        pipeline = new PipelineMetrics();
    }

    RerankMetrics(MetricsBridge bridge) {
        requests = bridge.counter(MetricName.of("requests"));
        pairs = bridge.counter(MetricName.of("pairs"));
        tokens = bridge.counter(MetricName.of("tokens"));
        paddedTokens = bridge.counter(MetricName.of("paddedTokens"));
        batches = bridge.counter(MetricName.of("batches"));
        truncatedPairs = bridge.counter(MetricName.of("truncatedPairs"));
        tokenizeTime = bridge.timerNanos(MetricName.of("tokenizeTime"));
        inferenceTime = bridge.timerNanos(MetricName.of("inferenceTime"));
        fallbacks = bridge.counter(MetricName.of("fallbacks"));
        timeouts = bridge.counter(MetricName.of("timeouts"));
        errors = bridge.counter(MetricName.of("errors"));
        rejections = bridge.counter(MetricName.of("rejections"));
        pipeline = new PipelineMetrics(bridge);
    }

    /** The rerank-pipeline metrics (skips, budget, telemetry) registered beside these. */
    PipelineMetrics pipeline() {
        return pipeline;
    }

    void request() {
        requests.accept(1);
    }

    void scored(ScoringStats s) {
        pairs.accept(s.pairs());
        tokens.accept(s.tokens());
        paddedTokens.accept(s.paddedTokens());
        batches.accept(s.batches());
        truncatedPairs.accept(s.truncatedPairs());
        tokenizeTime.accept(s.tokenizeNanos());
        inferenceTime.accept(s.inferenceNanos());
    }

    /** A request answered in first-pass order, and why. */
    void fallback(SolrRerankRescorer.Failure failure) {
        fallbacks.accept(1);
        failure(failure);
    }

    /** A request not reranked (fallen back, or failed because the model is configured fail-fast). */
    void failure(SolrRerankRescorer.Failure failure) {
        switch (failure) {
            case TIMEOUT:
                timeouts.accept(1);
                break;
            case OVERLOAD:
                rejections.accept(1);
                break;
            default:
                errors.accept(1);
        }
    }
}
