package io.github.jareranker.cli;

import org.apache.lucene.util.Version;
import org.apache.solr.client.api.util.SolrVersion;

/** Which Solr (and Lucene) this build of the CLI runs: one build per Solr major (docs/architecture.md). */
final class SolrMajor {
    /** The running Solr's major version: 9 or 10. */
    static final int RUNNING = SolrVersion.LATEST.getMajorVersion();

    /** Where an operator reads the parser's metrics on this major (Solr 10 publishes Prometheus text). */
    static final String METRICS_QUERY = RUNNING >= 10
            ? "/admin/metrics?wt=prometheus   # lines starting solr_jarerank_"
            : "/admin/metrics?group=core&prefix=QUERYPARSER.jarerank";

    private SolrMajor() {}

    /** e.g. "Solr 10.0.0 (Lucene 10.3.2) on Java 25.0.3". */
    static String describe() {
        return "Solr " + SolrVersion.LATEST + " (Lucene " + Version.LATEST + ") on Java " + Runtime.version();
    }
}
