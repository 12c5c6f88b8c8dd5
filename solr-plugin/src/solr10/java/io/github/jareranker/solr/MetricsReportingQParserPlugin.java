package io.github.jareranker.solr;

import io.opentelemetry.api.common.Attributes;
import org.apache.solr.core.SolrInfoBean;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.search.QParserPlugin;

/**
 * Solr 10's metric hooks of the {@code jarerank} query parser plugin. In Solr 10 a {@link QParserPlugin} is no longer
 * a {@link SolrInfoBean}; a plugin that is one is registered under {@link #getName()} and given the core's metric
 * attributes, so the plugin learns its registered name first (through {@code PluginInfoInitialized}). The Solr 9
 * counterpart (src/solr9) implements the same two package-private hooks.
 */
abstract class MetricsReportingQParserPlugin extends QParserPlugin implements SolrInfoBean {
    private volatile SolrMetricsContext metricsContext;

    @Override
    public final void initializeMetrics(SolrMetricsContext parentContext, Attributes attributes) {
        SolrMetricsContext ctx = parentContext.getChildContext(this);
        metricsContext = ctx;
        registerMetrics(new MetricsBridge(ctx, attributes, getCategory().toString(), getName()));
    }

    @Override
    public final SolrMetricsContext getSolrMetricsContext() {
        return metricsContext;
    }

    @Override
    public Category getCategory() {
        return Category.QUERY;
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
