package io.github.jareranker.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A system's output: for each query id, the retrieved documents with their scores, in the order
 * they were read or added (the <em>input order</em>). Ranking by score happens at evaluation time
 * with a {@link TieBreak}, because the order of tied documents is part of the result.
 *
 * <p>Immutable. A document added twice to the same query keeps its first position and the last
 * score (the semantics of a Python dict, which ranx runs are).
 */
public final class Run {
    private final String name;
    private final Map<String, List<ScoredDoc>> results;

    private Run(String name, Map<String, List<ScoredDoc>> results) {
        this.name = name;
        this.results = results;
    }

    /** A new, empty builder for a run called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The run's name (a TREC run tag, a file name, or a model name). */
    public String name() {
        return name;
    }

    /** The query ids, in input order. */
    public Set<String> queryIds() {
        return results.keySet();
    }

    /** Whether the run has results for {@code queryId} (possibly an empty list). */
    public boolean contains(String queryId) {
        return results.containsKey(queryId);
    }

    /** The documents of one query in input order; empty when the query is not in the run. */
    public List<ScoredDoc> results(String queryId) {
        return results.getOrDefault(queryId, List.of());
    }

    /** The documents of one query ranked by descending score, ties ordered by {@code tieBreak}. */
    public List<ScoredDoc> ranked(String queryId, TieBreak tieBreak) {
        List<ScoredDoc> docs = results(queryId);
        int[] order = tieBreak.order(docs);
        List<ScoredDoc> ranked = new ArrayList<>(order.length);
        for (int i : order) {
            ranked.add(docs.get(i));
        }
        return ranked;
    }

    /** Number of queries. */
    public int size() {
        return results.size();
    }

    @Override
    public String toString() {
        return "Run[" + name + ", " + size() + " queries]";
    }

    /** One retrieved document and its score. */
    public record ScoredDoc(String docId, double score) {
        public ScoredDoc {
            Objects.requireNonNull(docId, "docId");
        }
    }

    /** Collects results. */
    public static final class Builder {
        private final String name;
        private final Map<String, Map<String, Double>> results = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds one retrieved document (or replaces its score, keeping its position). */
        public Builder add(String queryId, String docId, double score) {
            Objects.requireNonNull(queryId, "queryId");
            Objects.requireNonNull(docId, "docId");
            results.computeIfAbsent(queryId, q -> new LinkedHashMap<>()).put(docId, score);
            return this;
        }

        /** Declares a query that retrieved nothing (it is in the run, with an empty list). */
        public Builder addQuery(String queryId) {
            results.computeIfAbsent(Objects.requireNonNull(queryId, "queryId"), q -> new LinkedHashMap<>());
            return this;
        }

        /** The immutable run. */
        public Run build() {
            Map<String, List<ScoredDoc>> copy = new LinkedHashMap<>();
            results.forEach((q, docs) -> {
                List<ScoredDoc> list = new ArrayList<>(docs.size());
                docs.forEach((d, s) -> list.add(new ScoredDoc(d, s)));
                copy.put(q, Collections.unmodifiableList(list));
            });
            return new Run(name, Collections.unmodifiableMap(copy));
        }
    }
}
