package io.github.jareranker.solr.client;

import io.github.jareranker.solr.MetricName;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code jarerank} query parser's metrics from one Solr node's {@code /admin/metrics}, the way an operator's
 * scraper sees them, on either Solr major: names are asked for in the one vocabulary of {@link MetricName} ({@code
 * "pairs"}, {@code "pairCache.hits"}, {@code "<model>.pool.workers"}), and {@code MetricsScrape} (one per major, in
 * src/solr9 and src/solr10) knows the major's format (Solr 9: Dropwizard JSON; Solr 10: Prometheus text). A value is a
 * counter's count, a gauge's value, or a histogram's or timer's number of samples. Used by the CLI's bench commands
 * and by the tests. Not thread-safe to share across requests that need one consistent snapshot: each call reads anew.
 */
public final class RerankMetricsReader {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String nodeBaseUrl;
    private final String parserName;

    /** {@code nodeBaseUrl}: e.g. {@code http://127.0.0.1:8983/solr}; {@code parserName}: as in solrconfig.xml. */
    public RerankMetricsReader(String nodeBaseUrl, String parserName) {
        this.nodeBaseUrl = nodeBaseUrl.endsWith("/") ? nodeBaseUrl.substring(0, nodeBaseUrl.length() - 1) : nodeBaseUrl;
        this.parserName = parserName;
    }

    /** The metric {@code name} of the standalone core {@code core}; an IOException naming it when it is absent. */
    public double core(String core, String name) throws IOException {
        List<MetricSample> samples = scrape();
        MetricName metric = MetricName.parse(name);
        for (MetricSample s : samples) {
            if (s.core().equals(core) && s.name().equals(metric.dotted())) {
                return s.value();
            }
        }
        throw new IOException("no metric " + name + " of the '" + parserName + "' parser of core " + core + " at "
                + nodeBaseUrl + "/admin/metrics; it has: " + samples);
    }

    /** {@link #core} as a whole number (counters, gauges). */
    public long count(String core, String name) throws IOException {
        return Math.round(core(core, name));
    }

    /** The metric {@code name} summed over the cores of {@code collection} that this node serves (0 when none). */
    public long collectionSum(String collection, String name) throws IOException {
        String dotted = MetricName.parse(name).dotted();
        double sum = 0;
        for (MetricSample s : scrape()) {
            if (collection.equals(s.collection()) && s.name().equals(dotted)) {
                sum += s.value();
            }
        }
        return Math.round(sum);
    }

    /** Every metric of the parser of {@code core}, by dotted name: for messages and reports. */
    public Map<String, Double> all(String core) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSample s : scrape()) {
            if (s.core().equals(core)) {
                out.put(s.name(), s.value());
            }
        }
        return out;
    }

    private List<MetricSample> scrape() throws IOException {
        return MetricsScrape.parse(get(MetricsScrape.query(parserName)), parserName);
    }

    private String get(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(nodeBaseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        try {
            HttpResponse<String> rsp = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (rsp.statusCode() != 200) {
                throw new IOException("GET " + request.uri() + ": HTTP " + rsp.statusCode() + ": " + rsp.body());
            }
            return rsp.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + request.uri(), e);
        }
    }
}
