package io.github.jareranker.evaluation.solr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal Solr HTTP client for evaluation (no SolrJ): searches a request handler and indexes
 * JSON documents, against one core or collection URL such as {@code http://localhost:8983/solr/site}.
 * Errors carry Solr's own error message and the URL. Thread-safe. (Not SolrJ's {@code SolrClient}, which the
 * CLI also uses: hence the name.)
 */
public final class SolrSearchClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param coreUrl the core or collection URL ({@code http://host:8983/solr/NAME})
     * @param timeout per-request timeout
     */
    public SolrSearchClient(URI coreUrl, Duration timeout) {
        String s = Objects.requireNonNull(coreUrl, "coreUrl").toString();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new IllegalArgumentException("Solr URL " + s + " must start with http:// or https://");
        }
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The core URL. */
    public URI url() {
        return base;
    }

    /** One hit: its id and Solr score. */
    public record Hit(String id, double score) {}

    /**
     * Runs one search: {@code params} as given (repeated keys allowed) plus {@code fl=idField,score}
     * and {@code wt=json}; returns the hits in Solr's order.
     *
     * @param handler the request handler path, e.g. {@code /select}
     */
    public List<Hit> search(String handler, List<Map.Entry<String, String>> params, String idField) throws IOException {
        List<Map.Entry<String, String>> all = new ArrayList<>(params);
        all.removeIf(e -> e.getKey().equals("fl") || e.getKey().equals("wt"));
        all.add(Map.entry("fl", idField + ",score"));
        all.add(Map.entry("wt", "json"));
        JsonNode root = post(handler, "application/x-www-form-urlencoded", form(all));
        JsonNode docs = root.path("response").path("docs");
        if (!docs.isArray()) {
            throw new IOException(base + handler + ": the response has no response.docs array");
        }
        List<Hit> hits = new ArrayList<>(docs.size());
        for (JsonNode d : docs) {
            JsonNode id = d.get(idField);
            if (id == null || id.isNull()) {
                throw new IOException(
                        base + handler + ": a hit has no '" + idField + "' field (set the id field with --id-field)");
            }
            hits.add(new Hit(
                    id.isArray() ? id.get(0).asText() : id.asText(),
                    d.path("score").asDouble(Double.NaN)));
        }
        return hits;
    }

    /** Adds (or replaces, by unique key) documents with {@code /update}, without committing. */
    public void add(List<Map<String, Object>> documents) throws IOException {
        post("/update", "application/json", JSON.writeValueAsString(documents));
    }

    /** Hard commit, opening a new searcher. */
    public void commit() throws IOException {
        post("/update?commit=true&openSearcher=true", "application/json", "{}");
    }

    /** Deletes the documents matching {@code query} (no commit). */
    public void deleteByQuery(String query) throws IOException {
        post("/update", "application/json", JSON.writeValueAsString(Map.of("delete", Map.of("query", query))));
    }

    private JsonNode post(String path, String contentType, String body) throws IOException {
        URI uri = URI.create(base + path);
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType + "; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + uri, e);
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot connect to Solr at " + uri + " (is it running? start one with 'bin/ja-reranker demo')", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new IOException(
                    uri + " answered HTTP " + resp.statusCode() + " with a non-JSON body: " + abbreviate(resp.body()));
        }
        if (resp.statusCode() != 200) {
            String msg = root.path("error").path("msg").asText(abbreviate(resp.body()));
            throw new IOException(uri + " answered HTTP " + resp.statusCode() + ": " + msg);
        }
        return root;
    }

    private static String form(List<Map.Entry<String, String>> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** Escapes Lucene query-syntax characters so that free text is searched as text. */
    public static String escapeQueryChars(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\+-!():^[]\"{}~*?|&;/".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
