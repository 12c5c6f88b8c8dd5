package io.github.jareranker.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether a Solr node can start on this test classpath. Solr 10.0.0's {@code CoreContainer} needs the classes of
 * {@code org.apache.solr:solr-solrj-streaming} (its {@code SolrClientCache}, and {@code SolrConfig} names the
 * streaming {@code Expressible} plugin type), and Maven Central, as these build machines reach it, serves that
 * artifact only up to 9.10.1 (checked 2026-12-03: its maven-metadata.xml lists no 10.x, the 10.0.0 jar is a 404).
 * The 9.10.1 jar cannot stand in: its {@code SolrClientCache} extends a SolrJ 9 class that Solr 10 removed. So on the
 * Solr 10 target every test that starts a Solr node is skipped with {@link #REASON}; on Solr 9 none is. Found by
 * reflection, so this class needs no Solr on its own classpath (the engine's test jar is shared by every module).
 */
public final class SolrRuntime {
    /** The class a Solr node cannot start without. */
    static final String REQUIRED_CLASS = "org.apache.solr.client.solrj.io.SolrClientCache";

    public static final String REASON = "known limit: a Solr 10 node cannot start on this classpath: " + REQUIRED_CLASS
            + " (org.apache.solr:solr-solrj-streaming:10.0.0) is not served by Maven Central to this build"
            + " (see solr10/solr-deps/generate.py)";

    private SolrRuntime() {}

    /** Empty when a Solr node can start here; else why not. */
    public static Optional<String> cannotStart() {
        try {
            Class.forName(REQUIRED_CLASS, false, Thread.currentThread().getContextClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of(REASON);
        }
    }

    /** JUnit 5: skips the test (or class, from a {@code @BeforeAll}) with the reason when no Solr node can start. */
    public static void assumeCanStart() {
        Optional<String> why = cannotStart();
        Assumptions.assumeTrue(why.isEmpty(), () -> why.orElse(""));
    }
}
