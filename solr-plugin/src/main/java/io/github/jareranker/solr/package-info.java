/**
 * The Solr wing: the {@code jarerank} query parser plugin named in solrconfig.xml, its configuration ({@code
 * PluginConfig}, {@code ModelSpec}, read by {@code ConfigValues}), request parsing ({@code RequestValues}), the rank
 * query, rescorer, trace, replay, explain, metrics and the shared model and pair-cache registries. May import: the
 * engine, {@code lucene}, {@code passage}, Solr and Lucene. Nothing here imports {@code solr.client}. The per-major
 * classes (metrics, Lucene accessors) are in src/solr9 and src/solr10 of this module (docs/architecture.md).
 */
package io.github.jareranker.solr;
