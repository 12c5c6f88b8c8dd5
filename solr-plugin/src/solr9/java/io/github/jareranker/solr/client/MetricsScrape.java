package io.github.jareranker.solr.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Solr 9's {@code /admin/metrics}: Dropwizard metrics as JSON, {@code metrics -> solr.core.<core> ->
 * QUERYPARSER.<parser>.<name> -> number | {count: n} | {value: n}}. A SolrCloud core's registry is {@code
 * solr.core.<collection>.<shard>.<replica>}. The Solr 10 counterpart (src/solr10) reads Prometheus text.
 */
final class MetricsScrape {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORE_REGISTRY = "solr.core.";

    private MetricsScrape() {}

    static String query(String parser) {
        return "/admin/metrics?group=core&wt=json&prefix="
                + URLEncoder.encode("QUERYPARSER." + parser + ".", StandardCharsets.UTF_8);
    }

    static List<MetricSample> parse(String body, String parser) throws IOException {
        String prefix = "QUERYPARSER." + parser + ".";
        List<MetricSample> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> registries = JSON.readTree(body).path("metrics").fields();
        while (registries.hasNext()) {
            Map.Entry<String, JsonNode> registry = registries.next();
            if (!registry.getKey().startsWith(CORE_REGISTRY)) {
                continue;
            }
            String core = registry.getKey().substring(CORE_REGISTRY.length());
            String[] cloud = core.split("\\.");
            String collection = cloud.length == 3 ? cloud[0] : null;
            Iterator<Map.Entry<String, JsonNode>> metrics = registry.getValue().fields();
            while (metrics.hasNext()) {
                Map.Entry<String, JsonNode> m = metrics.next();
                if (m.getKey().startsWith(prefix)) {
                    JsonNode v = m.getValue();
                    JsonNode number = v.isNumber() ? v : v.has("count") ? v.get("count") : v.get("value");
                    if (number != null && number.isNumber()) {
                        out.add(new MetricSample(
                                core, collection, m.getKey().substring(prefix.length()), number.asDouble()));
                    }
                }
            }
        }
        return out;
    }
}
