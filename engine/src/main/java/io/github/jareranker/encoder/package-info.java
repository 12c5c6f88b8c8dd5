/**
 * The cross-encoder engine: tokenization ({@link io.github.jareranker.encoder.PairTokenizer}), length-sorted
 * token-budget batching, the JVM-wide {@link io.github.jareranker.encoder.InferencePool} and ONNX Runtime sessions
 * ({@link io.github.jareranker.encoder.CrossEncoder} is the entry point). May import: the JDK, ONNX Runtime, DJL
 * tokenizers, Jackson, protobuf, SLF4J, and the graph rewriting of {@code io.github.jareranker.optimizer} (which it
 * applies and verifies at load: {@link io.github.jareranker.encoder.CrossEncoderOptions#optimizeGraph()}). Never
 * Lucene, Solr or any other package of this project: one build of it serves both Solr majors (docs/architecture.md).
 */
package io.github.jareranker.encoder;
