package io.github.jareranker.solr.client;

/**
 * One value of one core's {@code jarerank} metric, as a node's {@code /admin/metrics} gives it.
 *
 * @param core the core as the major names it (Solr 9: its registry name after {@code solr.core.}; Solr 10: the
 *     {@code core} attribute)
 * @param collection the SolrCloud collection, or null for a standalone core
 * @param name the metric's dotted name ({@code io.github.jareranker.solr.MetricName#dotted()})
 * @param value a counter's count, a gauge's value, or a histogram's or timer's number of samples
 */
record MetricSample(String core, String collection, String name, double value) {}
