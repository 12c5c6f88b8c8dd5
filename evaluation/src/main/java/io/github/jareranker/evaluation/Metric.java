package io.github.jareranker.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One metric as ranx names it: {@code name[@k][-lN]}, e.g. {@code ndcg@10}, {@code mrr@10},
 * {@code map@100}, {@code recall@100}, {@code precision@5}, {@code ndcg@10-l2}. {@code k = 0} (no
 * {@code @k}) means the whole ranking; {@code -lN} sets the relevance level (judgments below N are
 * not relevant; default 1).
 *
 * <p>Per-query definitions follow ranx exactly (R = number of judged documents with relevance at
 * least the level, ranking cut to the first {@code min(k, retrieved)} documents):
 *
 * <ul>
 *   <li>{@code ndcg}: DCG / IDCG with gain = the judged relevance (Järvelin and Kekäläinen; binary
 *       relevance gives gain 1) and discount {@code log2(rank + 1)}. IDCG ranks all judgments of
 *       the query (relevant or not) by relevance and cuts at k. IDCG 0 gives 0.
 *   <li>{@code ndcg_burges}: the same with gain {@code 2^rel - 1}.
 *   <li>{@code mrr}: 1 / rank of the first relevant document, 0 when none.
 *   <li>{@code map}: sum over relevant ranks r of precision@r, divided by R (not by min(k, R)).
 *   <li>{@code recall}: relevant retrieved / R.
 *   <li>{@code precision}: relevant retrieved / k (the k asked for, even when fewer were
 *       retrieved; the run length when k = 0).
 *   <li>{@code hit_rate}: 1 when a relevant document is retrieved, else 0.
 *   <li>{@code hits}: the number of relevant documents retrieved.
 * </ul>
 *
 * A query with R = 0 scores 0 on every metric.
 *
 * @param label the metric as the user wrote it (the key in JSON output)
 * @param kind what is computed
 * @param k the cutoff, 0 for none
 * @param relevanceLevel the minimum judged relevance that counts as relevant
 */
public record Metric(String label, Kind kind, int k, int relevanceLevel) {
    public Metric {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        if (k < 0) {
            throw new IllegalArgumentException("metric '" + label + "': k must be >= 0");
        }
        if (relevanceLevel < 1) {
            throw new IllegalArgumentException("metric '" + label + "': the relevance level must be >= 1");
        }
    }

    /** The metric families. */
    public enum Kind {
        NDCG("ndcg"),
        NDCG_BURGES("ndcg_burges"),
        MRR("mrr"),
        MAP("map"),
        RECALL("recall"),
        PRECISION("precision"),
        HIT_RATE("hit_rate"),
        HITS("hits");

        private final String ranxName;

        Kind(String ranxName) {
            this.ranxName = ranxName;
        }

        /** The name ranx uses. */
        public String ranxName() {
            return ranxName;
        }
    }

    /**
     * Parses one metric ({@code ndcg@10}); the label is kept as given (trimmed).
     *
     * @throws IllegalArgumentException naming the metric and the accepted forms
     */
    public static Metric parse(String text) {
        String label = text.trim();
        String rest = label.toLowerCase(Locale.ROOT);
        int level = 1;
        int dashL = rest.lastIndexOf("-l");
        if (dashL > 0) {
            level = parseInt(label, rest.substring(dashL + 2), "relevance level");
            rest = rest.substring(0, dashL);
        }
        int k = 0;
        int at = rest.indexOf('@');
        if (at >= 0) {
            k = parseInt(label, rest.substring(at + 1), "cutoff k");
            rest = rest.substring(0, at);
        }
        Kind kind = null;
        for (Kind candidate : Kind.values()) {
            if (candidate.ranxName.equals(rest)) {
                kind = candidate;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("unknown metric '" + label
                    + "': expected one of ndcg, ndcg_burges, mrr, map, recall, precision, hit_rate, hits"
                    + " with an optional @k and -lN (e.g. ndcg@10, map@100, ndcg@10-l2)");
        }
        return new Metric(label, kind, k, level);
    }

    /** Parses a comma-separated list ({@code ndcg@10,mrr@10}); at least one, no duplicates. */
    public static List<Metric> parseList(String text) {
        List<Metric> metrics = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Metric m = parse(part);
            for (Metric other : metrics) {
                if (other.label.equals(m.label)) {
                    throw new IllegalArgumentException("metric '" + m.label + "' is listed twice");
                }
            }
            metrics.add(m);
        }
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metric given in '" + text + "'");
        }
        return List.copyOf(metrics);
    }

    private static int parseInt(String label, String digits, String what) {
        try {
            int v = Integer.parseInt(digits);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "metric '" + label + "': " + what + " '" + digits + "' is not a non-negative integer");
        }
    }

    /**
     * This metric for one query.
     *
     * @param ranked the retrieved document ids, best first
     * @param judgments the query's judgments (document id to relevance)
     */
    public double score(List<String> ranked, Map<String, Integer> judgments) {
        int relevantCount = 0;
        for (int rel : judgments.values()) {
            if (rel >= relevanceLevel) {
                relevantCount++;
            }
        }
        if (relevantCount == 0) {
            return 0.0;
        }
        int depth = k == 0 || k > ranked.size() ? ranked.size() : k;
        switch (kind) {
            case NDCG:
            case NDCG_BURGES:
                return ndcg(ranked, judgments, depth, kind == Kind.NDCG);
            case MRR:
                for (int i = 0; i < depth; i++) {
                    if (relevance(judgments, ranked.get(i)) > 0) {
                        return 1.0 / (i + 1);
                    }
                }
                return 0.0;
            case MAP: {
                double sum = 0;
                int hits = 0;
                for (int i = 0; i < depth; i++) {
                    if (relevance(judgments, ranked.get(i)) > 0) {
                        hits++;
                        sum += (double) hits / (i + 1);
                    }
                }
                return sum / relevantCount;
            }
            case RECALL:
                return hits(ranked, judgments, depth) / relevantCount;
            case PRECISION: {
                int denominator = k != 0 ? k : ranked.size();
                return denominator == 0 ? 0.0 : hits(ranked, judgments, depth) / denominator;
            }
            case HIT_RATE:
                return hits(ranked, judgments, depth) > 0 ? 1.0 : 0.0;
            case HITS:
                return hits(ranked, judgments, depth);
            default:
                throw new AssertionError(kind);
        }
    }

    /** The relevance of {@code docId} if it counts as relevant at this level, else 0. */
    private int relevance(Map<String, Integer> judgments, String docId) {
        Integer rel = judgments.get(docId);
        return rel != null && rel >= relevanceLevel ? rel : 0;
    }

    private double hits(List<String> ranked, Map<String, Integer> judgments, int depth) {
        int hits = 0;
        for (int i = 0; i < depth; i++) {
            if (relevance(judgments, ranked.get(i)) > 0) {
                hits++;
            }
        }
        return hits;
    }

    private double ndcg(List<String> ranked, Map<String, Integer> judgments, int depth, boolean jarvelin) {
        double dcg = 0;
        for (int i = 0; i < depth; i++) {
            dcg += gain(relevance(judgments, ranked.get(i)), jarvelin) / log2(i + 2);
        }
        int[] ideal =
                judgments.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int idealDepth = k == 0 || k > ideal.length ? ideal.length : k;
        double idcg = 0;
        for (int i = 0; i < idealDepth; i++) {
            int rel = ideal[ideal.length - 1 - i];
            idcg += gain(rel >= relevanceLevel ? rel : 0, jarvelin) / log2(i + 2);
        }
        return dcg / (idcg == 0.0 ? 1.0 : idcg);
    }

    private static double gain(int rel, boolean jarvelin) {
        return jarvelin ? rel : Math.pow(2, rel) - 1;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    @Override
    public String toString() {
        return label;
    }
}
