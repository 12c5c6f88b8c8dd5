package io.github.jareranker.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Relevance judgments: for each query id, the judged document ids and their integer relevance
 * (0 = judged not relevant; 1, 2, ... = graded relevance).
 *
 * <p>Immutable. Query and document order is the insertion order, which only matters for output.
 * Which queries are evaluated is defined by the qrels: every query id here is averaged over, also
 * one whose judgments are all 0 (it scores 0 on every metric, as in ranx).
 */
public final class Qrels {
    private final Map<String, Map<String, Integer>> judgments;

    private Qrels(Map<String, Map<String, Integer>> judgments) {
        this.judgments = judgments;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query ids, in insertion order. */
    public Set<String> queryIds() {
        return judgments.keySet();
    }

    /** Whether {@code queryId} has judgments. */
    public boolean contains(String queryId) {
        return judgments.containsKey(queryId);
    }

    /** The judgments of one query (document id to relevance); empty when the query is unknown. */
    public Map<String, Integer> judgments(String queryId) {
        return judgments.getOrDefault(queryId, Map.of());
    }

    /** Number of queries. */
    public int size() {
        return judgments.size();
    }

    /** Total number of (query, document) judgments. */
    public int judgmentCount() {
        int n = 0;
        for (Map<String, Integer> m : judgments.values()) {
            n += m.size();
        }
        return n;
    }

    @Override
    public String toString() {
        return "Qrels[" + size() + " queries, " + judgmentCount() + " judgments]";
    }

    /** Collects judgments; a repeated (query, document) pair keeps the last relevance given. */
    public static final class Builder {
        private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

        private Builder() {}

        /** Adds or replaces one judgment. */
        public Builder add(String queryId, String docId, int relevance) {
            Objects.requireNonNull(queryId, "queryId");
            Objects.requireNonNull(docId, "docId");
            judgments.computeIfAbsent(queryId, q -> new LinkedHashMap<>()).put(docId, relevance);
            return this;
        }

        /** Declares a query with no judgments yet (it will be evaluated and score 0 unless judged). */
        public Builder addQuery(String queryId) {
            judgments.computeIfAbsent(Objects.requireNonNull(queryId, "queryId"), q -> new LinkedHashMap<>());
            return this;
        }

        /** The immutable qrels. */
        public Qrels build() {
            Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
            judgments.forEach((q, m) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
            return new Qrels(Collections.unmodifiableMap(copy));
        }
    }
}
