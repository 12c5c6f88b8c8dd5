/**
 * Long pages as passages: sentence splitting, passage windows, query-overlap pre-selection and aggregation of
 * passage scores. May import: the engine, Lucene core and Kuromoji. Never Solr or {@code lucene}.
 */
package io.github.jareranker.passage;
