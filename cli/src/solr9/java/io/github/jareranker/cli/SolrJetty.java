package io.github.jareranker.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.solr.embedded.JettyConfig;
import org.eclipse.jetty.servlet.ServletHolder;

/** The embedded Jetty of Solr 9 (Jetty 10, javax.servlet); src/solr10 has Solr 10's (Jetty 12 ee10). */
final class SolrJetty {
    private SolrJetty() {}

    /** Solr on {@code port} (0: any free one) under {@code /solr}, with {@code pages} mounted at their path specs. */
    static JettyConfig config(int port, Map<WebPage, String> pages) {
        Map<ServletHolder, String> servlets = new LinkedHashMap<>();
        pages.forEach((page, pathSpec) -> servlets.put(new ServletHolder(new PageServlet(page)), pathSpec));
        return JettyConfig.builder()
                .setPort(port)
                .setContext("/solr")
                .stopAtShutdown(false)
                .withServlets(servlets)
                .build();
    }
}
