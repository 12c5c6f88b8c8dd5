/**
 * The view of a running Solr node that the tools and tests of this project share: HTTP SolrJ clients and the
 * parser metrics reader, on either Solr major. May import: SolrJ, Jackson, {@code solr.MetricName}. Nothing of the
 * plugin runs through it.
 */
package io.github.jareranker.solr.client;
