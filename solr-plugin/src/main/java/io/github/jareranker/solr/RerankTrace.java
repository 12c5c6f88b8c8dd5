package io.github.jareranker.solr;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one request's reranking did, shared by the rescorer (which records it), the collector (tail
 * scores), explain and the {@code [jarerank]} transformer. One instance per parsed rank query, i.e.
 * per request (shard request in SolrCloud); all methods are synchronized.
 */
final class RerankTrace {
  /** Request-context key under which the query parser stores the trace of the request. */
  static final String CONTEXT_KEY = RerankTrace.class.getName();

  private Map<Integer, Float> scores = Map.of();
  private boolean rescored;
  private String fallbackReason;
  private TailScores tail;

  /** Records a completed rescoring: per doc id the model score. */
  synchronized void rescored(Map<Integer, Float> modelScores) {
    this.scores = new HashMap<>(modelScores);
    this.rescored = true;
    this.fallbackReason = null;
  }

  /** Records that reranking was abandoned and the first-pass order returned. */
  synchronized void fellBack(String reason) {
    this.scores = Map.of();
    this.rescored = true;
    this.fallbackReason = reason;
  }

  synchronized void tail(TailScores tail) {
    this.tail = tail;
  }

  /** True once rescoring ran (or fell back) in this request. */
  synchronized boolean hasRun() {
    return rescored;
  }

  synchronized Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /** The model score of a reranked doc; empty for docs outside the reranked block. */
  synchronized Optional<Float> modelScore(int docId) {
    return Optional.ofNullable(scores.get(docId));
  }

  synchronized Optional<TailScores> tail() {
    return Optional.ofNullable(tail);
  }
}
