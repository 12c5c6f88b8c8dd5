package io.github.jareranker.solr;

import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.search.QParserPlugin;

/**
 * Solr 9's metric hooks of the {@code jarerank} query parser plugin. In Solr 9 every {@link QParserPlugin} is a
 * {@code SolrInfoBean} in category {@code QUERYPARSER}, and Solr calls {@link #initializeMetrics} with the name the
 * parser is registered under. The Solr 10 counterpart (src/solr10) implements the same two package-private hooks.
 */
abstract class MetricsReportingQParserPlugin extends QParserPlugin {
    private volatile SolrMetricsContext metricsContext;

    @Override
    public final void initializeMetrics(SolrMetricsContext parentContext, String scope) {
        SolrMetricsContext ctx = parentContext.getChildContext(this);
        metricsContext = ctx;
        registerMetrics(new MetricsBridge(ctx, getCategory().toString(), scope));
    }

    @Override
    public final SolrMetricsContext getSolrMetricsContext() {
        return metricsContext;
    }

    /** Called once, when the core gives the plugin its metrics registry. */
    abstract void registerMetrics(MetricsBridge metrics);

    /** Removes everything {@link #registerMetrics} registered (on close). */
    final void unregisterMetrics() {
        SolrMetricsContext ctx = metricsContext;
        if (ctx != null) {
            ctx.unregister();
        }
    }
}
