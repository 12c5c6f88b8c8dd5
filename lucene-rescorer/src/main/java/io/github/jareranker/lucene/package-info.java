/**
 * The Lucene {@code Rescorer} over the engine ({@link io.github.jareranker.lucene.CrossEncoderRescorer}), how model and
 * first-pass scores combine, stored-text reading and the pair-score cache interface. May import: the engine, {@code
 * passage}, Lucene core. Never Solr. Compiles unchanged against Lucene 9.12 and 10.3.
 */
package io.github.jareranker.lucene;
