/**
 * Rewrites a ModernBERT cross-encoder ONNX graph into ONNX Runtime fused operators and verifies the result. May import:
 * the engine, protobuf, ONNX Runtime, Jackson. Never Lucene or Solr.
 */
package io.github.jareranker.optimizer;
