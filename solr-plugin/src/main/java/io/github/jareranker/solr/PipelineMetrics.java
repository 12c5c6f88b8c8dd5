package io.github.jareranker.solr;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The rerank-pipeline metrics of one {@code jarerank} query parser, in the core's registry next to
 * {@link RerankMetrics}: {@code skipped.fewHits}, {@code skipped.matchAll}, {@code
 * skipped.queryPattern} (requests answered in first-pass order without running the model) and {@code
 * budgetLimited} (requests whose window {@code maxPairs} cut), and the histograms of {@link
 * WindowTelemetry} per reranked request: {@code displacedTop10} and {@code kendallTauPermille} (tau
 * times 1000, rounded: histograms hold integers); {@code pairCache.hits} and {@code pairCache.misses}
 * (pairs this core looked up in the pair-score cache). Thread-safe.
 */
final class PipelineMetrics {
    private final Map<SkipRules.Reason, LongConsumer> skipped = new EnumMap<>(SkipRules.Reason.class);
    private final LongConsumer budgetLimited;
    private final LongConsumer pairCacheHits;
    private final LongConsumer pairCacheMisses;
    private final LongConsumer displacedTop10;
    private final LongConsumer kendallTauPermille;

    /** Counts nothing anyone reads (before the core registered the parser). */
    private static final LongConsumer NONE = n -> {};

    PipelineMetrics() {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, NONE);
        }
        budgetLimited = NONE;
        pairCacheHits = NONE;
        pairCacheMisses = NONE;
        displacedTop10 = NONE;
        kendallTauPermille = NONE;
    }

    PipelineMetrics(MetricsBridge bridge) {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, bridge.counter(MetricName.of("skipped", r.key())));
        }
        budgetLimited = bridge.counter(MetricName.of("budgetLimited"));
        pairCacheHits = bridge.counter(MetricName.of("pairCache", "hits"));
        pairCacheMisses = bridge.counter(MetricName.of("pairCache", "misses"));
        displacedTop10 = bridge.histogram(MetricName.of("displacedTop10"));
        kendallTauPermille = bridge.histogram(MetricName.of("kendallTauPermille"));
    }

    void skipped(SkipRules.Reason reason) {
        skipped.get(reason).accept(1);
    }

    void budgetLimited() {
        budgetLimited.accept(1);
    }

    /** A rescoring call looked up its pairs: {@code hits} were served from the cache, {@code misses} scored. */
    void pairCache(int hits, int misses) {
        pairCacheHits.accept(hits);
        pairCacheMisses.accept(misses);
    }

    void window(WindowTelemetry t) {
        displacedTop10.accept(t.displacedTop10());
        t.kendallTau().ifPresent(tau -> kendallTauPermille.accept(Math.round(tau * 1000)));
    }
}
