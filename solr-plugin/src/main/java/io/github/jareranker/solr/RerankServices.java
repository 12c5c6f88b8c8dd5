package io.github.jareranker.solr;

import java.util.Optional;
import java.util.function.Function;

/**
 * What the plugin hands the parser of each request, so that the parser (and everything it builds) never reaches back
 * into the plugin: the validated configuration, the leased model of a configured name, the pair-score cache of a
 * model (empty when the cache is off), and the metrics. Built per request from the plugin's current state.
 *
 * @param config the parser's settings from solrconfig.xml
 * @param leases the lease of a configured model, by name (503 while the core loads or closes)
 * @param pairCaches the pair-score cache of a configured model, by name; empty when {@code pairCacheSize} is 0
 * @param metrics where the request's work, skips and failures are counted
 */
record RerankServices(
        PluginConfig config,
        Function<String, ModelRegistry.Lease> leases,
        Function<String, Optional<PairCacheRegistry.Lease>> pairCaches,
        RerankMetrics metrics) {

    ModelRegistry.Lease lease(String model) {
        return leases.apply(model);
    }

    Optional<PairCacheRegistry.Lease> pairCache(String model) {
        return pairCaches.apply(model);
    }
}
