package io.github.jareranker.cli;

import io.github.jareranker.solr.client.RerankMetricsReader;
import java.io.IOException;

/**
 * Reads the counters of one core's {@code jarerank} query parser from Solr's {@code /admin/metrics} (either major,
 * through {@link RerankMetricsReader}), as the bench commands count the pairs a request made the model score. Each
 * read is one HTTP request. Thread-safe.
 */
final class CoreMetrics {
    private final RerankMetricsReader reader;
    private final String core;

    /**
     * @param baseUrl Solr's base URL, {@code http://host:port/solr}
     * @param core the core name
     */
    CoreMetrics(String baseUrl, String core) {
        this.reader = new RerankMetricsReader(baseUrl, "jarerank");
        this.core = core;
    }

    /** The counter {@code name} ("pairs", "pairCache.hits"); an error naming it when absent. */
    long count(String name) throws IOException, InterruptedException {
        return reader.count(core, name);
    }
}
