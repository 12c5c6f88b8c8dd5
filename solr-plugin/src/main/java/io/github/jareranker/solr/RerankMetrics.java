package io.github.jareranker.solr;

import io.github.jareranker.encoder.ScoringStats;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The metrics of one {@code jarerank} query parser, registered in the core's registry through the Solr major's
 * {@link MetricsBridge} (visible in {@code /admin/metrics}; names in {@link MetricName}): {@code requests}, {@code pairs},
 * {@code tokens}, {@code paddedTokens}, {@code batches}, {@code truncatedPairs}, {@code
 * tokenizeTime}, {@code inferenceTime}, {@code fallbacks}, {@code timeouts}, {@code errors}; and the
 * rerank pipeline's: {@code skipped.fewHits|matchAll|queryPattern}, {@code budgetLimited}, {@code pairCache.hits},
 * {@code pairCache.misses} and the histograms {@code displacedTop10} and {@code kendallTauPermille}.
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
    // The rerank pipeline: skips by reason, budget, pair cache, window telemetry.
    private final Map<SkipRules.Reason, LongConsumer> skipped = new EnumMap<>(SkipRules.Reason.class);
    private final LongConsumer budgetLimited;
    private final LongConsumer pairCacheHits;
    private final LongConsumer pairCacheMisses;
    private final LongConsumer displacedTop10;
    private final LongConsumer kendallTauPermille;

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
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, NONE);
        }
        budgetLimited = NONE;
        pairCacheHits = NONE;
        pairCacheMisses = NONE;
        displacedTop10 = NONE;
        kendallTauPermille = NONE;
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
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, bridge.counter(MetricName.of("skipped", r.key())));
        }
        budgetLimited = bridge.counter(MetricName.of("budgetLimited"));
        pairCacheHits = bridge.counter(MetricName.of("pairCache", "hits"));
        pairCacheMisses = bridge.counter(MetricName.of("pairCache", "misses"));
        displacedTop10 = bridge.histogram(MetricName.of("displacedTop10"));
        kendallTauPermille = bridge.histogram(MetricName.of("kendallTauPermille"));
    }

    /** A request answered in first-pass order without running the model, and why. */
    void skipped(SkipRules.Reason reason) {
        skipped.get(reason).accept(1);
    }

    /** A request whose window {@code maxPairs} cut. */
    void budgetLimited() {
        budgetLimited.accept(1);
    }

    /** A rescoring call looked up its pairs: {@code hits} were served from the cache, {@code misses} scored. */
    void pairCache(int hits, int misses) {
        pairCacheHits.accept(hits);
        pairCacheMisses.accept(misses);
    }

    /** The telemetry of one reranked window (Kendall tau as permille: histograms hold integers). */
    void window(WindowTelemetry t) {
        displacedTop10.accept(t.displacedTop10());
        t.kendallTau().ifPresent(tau -> kendallTauPermille.accept(Math.round(tau * 1000)));
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
    void fallback(RerankFailure failure) {
        fallbacks.accept(1);
        failure(failure);
    }

    /** A request not reranked (fallen back, or failed because the model is configured fail-fast). */
    void failure(RerankFailure failure) {
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
