package io.github.jareranker.solr;

import io.github.jareranker.solr.client.RerankMetricsReader;
import io.github.jareranker.solr.client.SolrClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A standalone Solr on Jetty (random port) whose cores use the test configset ({@link RerankTestSupport#testConf})
 * with the committed test model, and a SolrJ client for it. Sets the configset's system properties while it runs and
 * clears them on {@link #close()}; one per test class.
 */
final class StandaloneSolr implements AutoCloseable {
    private final Path home;
    private final JettySolrRunner jetty;
    private final SolrClient client;

    private StandaloneSolr(Path home, JettySolrRunner jetty, SolrClient client) {
        this.home = home;
        this.jetty = jetty;
        this.client = client;
    }

    /** Writes a core's configset into its (empty) {@code conf} folder. */
    @FunctionalInterface
    interface ConfWriter {
        void write(Path conf) throws Exception;
    }

    /** Starts Solr in {@code home} (an empty folder) with the given discovered cores, each empty. */
    static StandaloneSolr start(Path home, String... cores) throws Exception {
        Map<String, ConfWriter> confs = new LinkedHashMap<>();
        for (String core : cores) {
            confs.put(core, RerankTestSupport::testConf);
        }
        return start(home, confs);
    }

    /**
     * Starts Solr in {@code home} (an empty folder) with one discovered, empty core per entry, its configset written
     * by the entry's writer (e.g. the test configset with more models).
     */
    static StandaloneSolr start(Path home, Map<String, ConfWriter> cores) throws Exception {
        RerankTestSupport.setModelProperties();
        Files.writeString(home.resolve("solr.xml"), "<solr/>", StandardCharsets.UTF_8);
        for (Map.Entry<String, ConfWriter> core : cores.entrySet()) {
            Path dir = home.resolve(core.getKey());
            core.getValue().write(dir.resolve("conf"));
            Files.writeString(dir.resolve("core.properties"), "name=" + core.getKey() + "\n", StandardCharsets.UTF_8);
        }
        JettySolrRunner jetty = new JettySolrRunner(
                home.toString(), JettyConfig.builder().setPort(0).build());
        jetty.start();
        return new StandaloneSolr(
                home, jetty, SolrClients.http(jetty.getBaseUrl().toString()));
    }

    /**
     * Writes the instance directory of {@code core} under {@code home}; {@code discovered}: with a core.properties,
     * so that Solr loads it at start (else it is for a CoreAdmin CREATE).
     */
    static Path makeCoreDir(Path home, String core, boolean discovered) throws IOException {
        Path dir = home.resolve(core);
        RerankTestSupport.testConf(dir.resolve("conf"));
        if (discovered) {
            Files.writeString(dir.resolve("core.properties"), "name=" + core + "\n", StandardCharsets.UTF_8);
        }
        return dir;
    }

    Path home() {
        return home;
    }

    /**
     * The metric {@code name} ({@code "pairs"}, {@code "pairCache.hits"}, {@code "<model>.pool.workers"}) of the
     * {@code jarerank} parser of {@code core}, read from {@code /admin/metrics} as an operator sees it: a counter's
     * count, a gauge's value, a timer's or histogram's number of samples.
     */
    long metric(String core, String name) throws IOException {
        return new RerankMetricsReader(jetty.getBaseUrl().toString(), "jarerank").count(core, name);
    }

    JettySolrRunner jetty() {
        return jetty;
    }

    SolrClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
            jetty.stop();
        } finally {
            RerankTestSupport.clearModelProperties();
        }
    }
}
