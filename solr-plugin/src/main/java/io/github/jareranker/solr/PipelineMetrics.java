package io.github.jareranker.solr;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.UniformReservoir;
import java.util.EnumMap;
import java.util.Map;
import org.apache.solr.metrics.SolrMetricsContext;

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
    private final Map<SkipRules.Reason, Counter> skipped = new EnumMap<>(SkipRules.Reason.class);
    private final Counter budgetLimited;
    private final Counter pairCacheHits;
    private final Counter pairCacheMisses;
    private final Histogram displacedTop10;
    private final Histogram kendallTauPermille;

    /** Counts nothing anyone reads (before the core registered the parser). */
    PipelineMetrics() {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, new Counter());
        }
        budgetLimited = new Counter();
        pairCacheHits = new Counter();
        pairCacheMisses = new Counter();
        displacedTop10 = new Histogram(new UniformReservoir());
        kendallTauPermille = new Histogram(new UniformReservoir());
    }

    PipelineMetrics(SolrMetricsContext ctx, String category, String scope) {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, ctx.counter(r.key(), category, scope, "skipped"));
        }
        budgetLimited = ctx.counter("budgetLimited", category, scope);
        pairCacheHits = ctx.counter("hits", category, scope, "pairCache");
        pairCacheMisses = ctx.counter("misses", category, scope, "pairCache");
        displacedTop10 = ctx.histogram("displacedTop10", category, scope);
        kendallTauPermille = ctx.histogram("kendallTauPermille", category, scope);
    }

    void skipped(SkipRules.Reason reason) {
        skipped.get(reason).inc();
    }

    void budgetLimited() {
        budgetLimited.inc();
    }

    /** A rescoring call looked up its pairs: {@code hits} were served from the cache, {@code misses} scored. */
    void pairCache(int hits, int misses) {
        pairCacheHits.inc(hits);
        pairCacheMisses.inc(misses);
    }

    void window(WindowTelemetry t) {
        displacedTop10.update(t.displacedTop10());
        t.kendallTau().ifPresent(tau -> kendallTauPermille.update(Math.round(tau * 1000)));
    }
}
