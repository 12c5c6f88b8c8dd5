package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Reads the counters of one core's {@code jarerank} query parser ({@code QUERYPARSER.jarerank.*})
 * from Solr's {@code /admin/metrics}, as the bench commands count the pairs a request made the
 * model score. Each read is one HTTP request. Thread-safe.
 */
final class CoreMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String core;

    /**
     * @param baseUrl Solr's base URL, {@code http://host:port/solr}
     * @param core the core name
     */
    CoreMetrics(String baseUrl, String core) {
        this.url = baseUrl + "/admin/metrics?group=core&prefix=QUERYPARSER.jarerank.&wt=json";
        this.core = core;
    }

    /** The counter (or a meter's count) {@code QUERYPARSER.jarerank.<name>}; an error naming it when absent. */
    long count(String name) throws IOException, InterruptedException {
        HttpResponse<String> rsp =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode v = JSON.readTree(rsp.body())
                .path("metrics")
                .path("solr.core." + core)
                .path("QUERYPARSER.jarerank." + name);
        if (v.isMissingNode()) {
            throw new IOException("no metric QUERYPARSER.jarerank." + name + " in " + rsp.body());
        }
        return v.has("count") ? v.get("count").asLong() : v.asLong();
    }
}
