package io.github.jareranker.solr;

import io.github.jareranker.solr.client.RerankMetricsReader;
import io.github.jareranker.solr.client.SolrClients;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * SolrCloud test helpers: what each shard answers on its own ({@code distrib=false} to its leader, the independent
 * reference for a distributed answer) and the plugin's metrics summed over a collection's cores.
 */
final class CloudShards {
    private CloudShards() {}

    /** Each slice's leader's answer to {@code handler} with {@code distrib=false}, by slice name (sorted). */
    static Map<String, QueryResponse> leaderAnswers(
            MiniSolrCloudCluster cluster, String collection, String handler, String... kv) throws Exception {
        String[] params = new String[kv.length + 2];
        System.arraycopy(kv, 0, params, 0, kv.length);
        params[kv.length] = "distrib";
        params[kv.length + 1] = "false";
        Map<String, QueryResponse> out = new TreeMap<>();
        for (Slice slice : cluster.getSolrClient()
                .getClusterState()
                .getCollection(collection)
                .getSlices()) {
            Replica r = slice.getLeader();
            try (SolrClient shard = SolrClients.http(r.getBaseUrl())) {
                out.put(slice.getName(), RerankTestSupport.query(shard, r.getCoreName(), handler, params));
            }
        }
        return out;
    }

    /** The hits of {@link #leaderAnswers}, by slice name. */
    static Map<String, List<RerankTestSupport.Hit>> leaderHits(
            MiniSolrCloudCluster cluster, String collection, String handler, String... kv) throws Exception {
        Map<String, List<RerankTestSupport.Hit>> out = new LinkedHashMap<>();
        leaderAnswers(cluster, collection, handler, kv).forEach((s, rsp) -> out.put(s, RerankTestSupport.hits(rsp)));
        return out;
    }

    /**
     * The metric {@code QUERYPARSER.jarerank.<name>} (a counter's count, or a number) summed over the cores of {@code
     * collection} on every node.
     */
    static long metricSum(MiniSolrCloudCluster cluster, String collection, String name) throws Exception {
        long sum = 0;
        for (JettySolrRunner node : cluster.getJettySolrRunners()) {
            sum += new RerankMetricsReader(node.getBaseUrl().toString(), "jarerank").collectionSum(collection, name);
        }
        return sum;
    }
}
