package io.github.jareranker.solr;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.solr.metrics.SolrMetricProducer;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.metrics.otel.OtelUnit;

/**
 * Solr 10's side of the parser's metrics: OpenTelemetry instruments in the core's registry (Solr 10 replaced
 * Dropwizard with OpenTelemetry), named {@code solr_jarerank_[<group>_]<leaf>} ({@link MetricName#otelName()}) and
 * recorded with the core's attributes plus {@code category=QUERY}, {@code name=<parser>} and, per model, {@code
 * model=<model>}. {@code /admin/metrics} shows them in Prometheus form (counters with {@code _total}). Thread-safe.
 * The Solr 9 counterpart (src/solr9) has the same methods over Dropwizard.
 */
final class MetricsBridge {
    static final AttributeKey<String> MODEL_ATTR = AttributeKey.stringKey("model");

    private final SolrMetricsContext ctx;
    private final Attributes attributes;

    MetricsBridge(SolrMetricsContext ctx, Attributes coreAttributes, String category, String parserName) {
        this.ctx = ctx;
        this.attributes = coreAttributes.toBuilder()
                .put(SolrMetricProducer.CATEGORY_ATTR, category)
                .put(SolrMetricProducer.NAME_ATTR, parserName)
                .build();
    }

    /** A monotonic counter; the consumer adds its argument. */
    LongConsumer counter(MetricName name) {
        LongCounter counter = ctx.longCounter(name.otelName(), description(name));
        Attributes a = attributes(name);
        return n -> counter.add(n, a);
    }

    /** A timer of durations, published in milliseconds; the consumer takes nanoseconds. */
    LongConsumer timerNanos(MetricName name) {
        LongHistogram histogram = ctx.longHistogram(name.otelName(), description(name), OtelUnit.MILLISECONDS);
        Attributes a = attributes(name);
        return nanos -> histogram.record(nanos / 1_000_000L, a);
    }

    /** A distribution of integer values. */
    LongConsumer histogram(MetricName name) {
        LongHistogram histogram = ctx.longHistogram(name.otelName(), description(name));
        Attributes a = attributes(name);
        return v -> histogram.record(v, a);
    }

    /** A gauge read when the metrics are read. */
    void gauge(MetricName name, LongSupplier value) {
        Attributes a = attributes(name);
        ctx.observableLongGauge(name.otelName(), description(name), m -> m.record(value.getAsLong(), a));
    }

    private Attributes attributes(MetricName name) {
        return name.model() == null ? attributes : attributes.toBuilder().put(MODEL_ATTR, name.model()).build();
    }

    private static String description(MetricName name) {
        return "ja-reranker: " + name.dotted();
    }
}
