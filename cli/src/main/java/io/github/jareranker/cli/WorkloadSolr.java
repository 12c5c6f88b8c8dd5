package io.github.jareranker.cli;

import io.github.jareranker.solr.client.SolrClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.common.SolrInputDocument;

/**
 * Solr in this process serving a workload: the preamble the commands that run against an in-process Solr share
 * ({@code soak}, {@code bench-solr}, {@code bench-cascade}, {@code bench-pipeline}, {@code eval jsquad}, {@code
 * demo}). {@link Builder#start()} starts {@link EmbeddedSolr} with a configset (the example configset unless given) in
 * one core, the chosen model and the command's engine flags, and indexes and commits the workload's documents (none:
 * the caller indexes) before it returns.
 *
 * <p>It owns Solr and one SolrJ client to it: {@link #close()} closes the client, stops Solr and then restores the
 * pair-cache size it set, if any. One at a time per JVM, as {@link EmbeddedSolr}.
 */
final class WorkloadSolr implements AutoCloseable {
    private final EmbeddedSolr solr;
    private final SolrClient client;
    private final AutoCloseable pairCache;

    private WorkloadSolr(EmbeddedSolr solr, SolrClient client, AutoCloseable pairCache) {
        this.solr = solr;
        this.client = client;
        this.pairCache = pairCache;
    }

    /** A fixture for a core named {@code core} with {@code model} and the engine flags of {@code engine}. */
    static Builder builder(String core, ModelChoice model, ModelOptions engine) {
        return new Builder(core, model, engine);
    }

    /** The Solr it started (ports, URLs, core name). */
    EmbeddedSolr solr() {
        return solr;
    }

    /** A SolrJ client to {@link #baseUrl()}, closed with this fixture. */
    SolrClient client() {
        return client;
    }

    /** {@code http://localhost:PORT/solr}. */
    String baseUrl() {
        return solr.baseUrl();
    }

    /** {@code http://localhost:PORT/solr/CORE}. */
    String coreUrl() {
        return solr.coreUrl();
    }

    /** Closes the client, stops Solr, restores the pair-cache size (idempotent, as {@link EmbeddedSolr#close()}). */
    @Override
    public void close() throws Exception {
        // Closed in reverse order: the client, Solr, then the property Solr read at core load (null ones skipped).
        try (pairCache;
                solr;
                client) {
            // nothing to do but close
        }
    }

    /** What to start; every setting but the core, the model and the engine flags has a default. */
    static final class Builder {
        private final String core;
        private final ModelChoice model;
        private final ModelOptions engine;
        private Path conf;
        private int port;
        private Map<WebPage, String> pages = Map.of();
        private List<SolrInputDocument> documents = List.of();
        private Long pairCacheSize;
        private Duration requestTimeout;

        private Builder(String core, ModelChoice model, ModelOptions engine) {
            this.core = core;
            this.model = model;
            this.engine = engine;
        }

        /** The configset's conf directory (default: the example configset of the checkout). */
        Builder configset(Path conf) {
            this.conf = conf;
            return this;
        }

        /** The HTTP port (default 0: any free port). */
        Builder port(int port) {
            this.port = port;
            return this;
        }

        /** More pages in Solr's {@code /solr} context, each with its path spec (default: none). */
        Builder pages(Map<WebPage, String> pages) {
            this.pages = pages;
            return this;
        }

        /** The documents indexed and committed before {@link #start()} returns (default: none). */
        Builder documents(List<SolrInputDocument> documents) {
            this.documents = documents;
            return this;
        }

        /**
         * The configset's {@code pairCacheSize} while this Solr runs (default: the configset's); the bench commands
         * that measure the model's work pass 0, since a pair served from the cache is work not measured.
         */
        Builder pairCacheSize(long entries) {
            this.pairCacheSize = entries;
            return this;
        }

        /** The SolrJ client's request timeout (default: {@link SolrClients#http(String)}'s). */
        Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Starts Solr, indexes the documents and returns the running fixture; on failure nothing stays running. */
        WorkloadSolr start() throws Exception {
            EmbeddedSolr.quietLogging();
            Path configset = conf != null ? conf : EmbeddedSolr.configset(EmbeddedSolr.repoRoot());
            AutoCloseable cache = pairCacheSize != null ? EmbeddedSolr.pairCacheSize(pairCacheSize) : () -> {};
            EmbeddedSolr solr = null;
            SolrClient client = null;
            try {
                solr = EmbeddedSolr.start(configset, core, port, model, engine.given(), pages);
                client = requestTimeout != null
                        ? SolrClients.http(solr.baseUrl(), requestTimeout)
                        : SolrClients.http(solr.baseUrl());
                if (!documents.isEmpty()) {
                    client.add(core, documents);
                    client.commit(core);
                }
                return new WorkloadSolr(solr, client, cache);
            } catch (Exception | Error e) {
                try {
                    new WorkloadSolr(solr, client, cache).close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
    }
}
