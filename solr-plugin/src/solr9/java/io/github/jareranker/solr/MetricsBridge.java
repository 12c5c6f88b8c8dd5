package io.github.jareranker.solr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.solr.metrics.SolrMetricsContext;

/**
 * Solr 9's side of the parser's metrics: Dropwizard counters, timers, histograms and gauges in the core's registry,
 * named {@code QUERYPARSER.<parser>.[<model>.][<group>.]<leaf>} ({@link MetricName}). Thread-safe. The Solr 10
 * counterpart (src/solr10) has the same methods over OpenTelemetry instruments.
 */
final class MetricsBridge {
    private final SolrMetricsContext ctx;
    private final String category;
    private final String parserName;

    MetricsBridge(SolrMetricsContext ctx, String category, String parserName) {
        this.ctx = ctx;
        this.category = category;
        this.parserName = parserName;
    }

    /** A monotonic counter; the consumer adds its argument. */
    LongConsumer counter(MetricName name) {
        return ctx.counter(name.leaf(), path(name))::inc;
    }

    /** A timer of durations; the consumer takes nanoseconds. */
    LongConsumer timerNanos(MetricName name) {
        var timer = ctx.timer(name.leaf(), path(name));
        return nanos -> timer.update(nanos, TimeUnit.NANOSECONDS);
    }

    /** A distribution of integer values. */
    LongConsumer histogram(MetricName name) {
        return ctx.histogram(name.leaf(), path(name))::update;
    }

    /** A gauge read when the metrics are read. */
    void gauge(MetricName name, LongSupplier value) {
        ctx.gauge(value::getAsLong, true, name.leaf(), path(name));
    }

    private String[] path(MetricName name) {
        List<String> path = new ArrayList<>(name.parts());
        path.remove(path.size() - 1); // the leaf is the metric's own name
        path.add(0, parserName);
        path.add(0, category);
        return path.toArray(String[]::new);
    }
}
