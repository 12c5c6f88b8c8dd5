/**
 * Ranking evaluation: ranx-compatible metrics, run and qrels files, the JSQuAD and long-page benchmarks and their
 * reports. May import: the engine, {@code lucene}, {@code passage}, Jackson, LZ4, JFreeChart. Never Solr.
 */
package io.github.jareranker.evaluation;
