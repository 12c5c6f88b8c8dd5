package io.github.jareranker.solr;

import io.github.jareranker.lucene.PairScoreCache;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The query parser's side of the pair-score caches: taking them at core load, the gauges, the binding per request. */
final class PairCaches {
    private PairCaches() {}

    /** A lease on the cache of each model, or none when {@code size} is 0 (the cache is off). */
    static Map<String, PairCacheRegistry.Lease> acquire(Map<String, ModelRegistry.Lease> models, int size) {
        if (size <= 0) {
            return Map.of();
        }
        Map<String, PairCacheRegistry.Lease> out = new LinkedHashMap<>();
        models.forEach((name, lease) -> out.put(name, PairCacheRegistry.global().acquire(lease.encoder(), size)));
        return Map.copyOf(out);
    }

    /**
     * {@code pairCache.evictions} and {@code pairCache.entries}: the JVM-wide figures of the caches of
     * this core's models, summed.
     */
    static void registerGauges(MetricsBridge bridge, Supplier<Map<String, PairCacheRegistry.Lease>> caches) {
        bridge.gauge(
                MetricName.of("pairCache", "evictions"),
                () -> caches.get().values().stream()
                        .mapToLong(PairCacheRegistry.Lease::evictions)
                        .sum());
        bridge.gauge(
                MetricName.of("pairCache", "entries"),
                () -> caches.get().values().stream()
                        .mapToLong(PairCacheRegistry.Lease::entries)
                        .sum());
    }

    /**
     * What a request's rescorer needs to use the cache: the model's cache, the schema's uniqueKey as
     * the document identity, the metrics; null without a cache, a uniqueKey or when the request opts out.
     */
    static PairScoreCache.Binding binding(
            CrossEncoderRerankQParserPlugin plugin, String model, String uniqueKey, boolean use) {
        if (!use || uniqueKey == null) {
            return null;
        }
        return plugin.pairCache(model)
                .map(lease -> new PairScoreCache.Binding(
                        lease.cache(), uniqueKey, plugin.metrics().pipeline()::pairCache))
                .orElse(null);
    }
}
