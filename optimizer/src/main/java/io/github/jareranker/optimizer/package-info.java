/**
 * Rewrites a ModernBERT cross-encoder ONNX graph into ONNX Runtime fused operators: a library beneath the engine, which
 * applies it at load and verifies the result. May import: protobuf, ONNX Runtime (to evaluate constant subgraphs).
 * Never the engine, Lucene or Solr.
 */
package io.github.jareranker.optimizer;
