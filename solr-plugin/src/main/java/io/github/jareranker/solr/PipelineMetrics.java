package io.github.jareranker.solr;

import com.codahale.metrics.Counter;
import java.util.EnumMap;
import java.util.Map;
import org.apache.solr.metrics.SolrMetricsContext;

/**
 * The rerank-pipeline metrics of one {@code jarerank} query parser, in the core's registry next to
 * {@link RerankMetrics}: {@code skipped.fewHits}, {@code skipped.matchAll}, {@code
 * skipped.queryPattern} (requests answered in first-pass order without running the model) and {@code
 * budgetLimited} (requests whose window {@code maxPairs} cut). Thread-safe.
 */
final class PipelineMetrics {
    private final Map<SkipRules.Reason, Counter> skipped = new EnumMap<>(SkipRules.Reason.class);
    private final Counter budgetLimited;

    /** Counts nothing anyone reads (before the core registered the parser). */
    PipelineMetrics() {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, new Counter());
        }
        budgetLimited = new Counter();
    }

    PipelineMetrics(SolrMetricsContext ctx, String category, String scope) {
        for (SkipRules.Reason r : SkipRules.Reason.values()) {
            skipped.put(r, ctx.counter(r.key(), category, scope, "skipped"));
        }
        budgetLimited = ctx.counter("budgetLimited", category, scope);
    }

    void skipped(SkipRules.Reason reason) {
        skipped.get(reason).inc();
    }

    void budgetLimited() {
        budgetLimited.inc();
    }
}
