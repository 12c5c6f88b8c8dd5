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
     * What a request's rescorer needs to use the model's cache: the cache, the schema's uniqueKey as the document
     * identity, the metrics; null when the model has no cache. Called only when the request uses a configured cache.
     */
    static PairScoreCache.Binding binding(RerankServices services, String model, String uniqueKey) {
        return services.pairCache(model)
                .map(lease -> new PairScoreCache.Binding(lease.cache(), uniqueKey, services.metrics()::pairCache))
                .orElse(null);
    }
}
