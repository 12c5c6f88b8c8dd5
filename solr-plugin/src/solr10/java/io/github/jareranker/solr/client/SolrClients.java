package io.github.jareranker.solr.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.jetty.HttpJettySolrClient;

/**
 * HTTP SolrJ clients for the tools and tests of this project, on Solr 10: {@code HttpJettySolrClient} (the other major's copy is
 * in src/solr9: Http2SolrClient, its Solr 9 name). The caller owns and closes the client.
 */
public final class SolrClients {
    private SolrClients() {}

    /** A client for {@code baseUrl} (e.g. {@code http://127.0.0.1:8983/solr}) with SolrJ's default timeouts. */
    public static SolrClient http(String baseUrl) {
        return new HttpJettySolrClient.Builder(baseUrl).build();
    }

    /** A client for {@code baseUrl} whose requests may take up to {@code requestTimeout}. */
    public static SolrClient http(String baseUrl, Duration requestTimeout) {
        return new HttpJettySolrClient.Builder(baseUrl)
                .withRequestTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }
}
