package io.github.jareranker.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The best any reranker could do with a run's candidate lists: each query's retrieved documents
 * reordered by their judged relevance (higher grade first, unjudged as 0, equal grades in the run's
 * own ranked order). Evaluating it gives the ceiling of reranking those candidates, e.g. the oracle
 * nDCG@10; the <em>oracle gap</em> is that ceiling minus the run's own score. Relevant documents the
 * candidates lack stay missing, which is why the ceiling is usually below 1.
 */
public final class OracleRun {
    private OracleRun() {}

    /**
     * @param qrels the judgments
     * @param candidates the run whose lists are reordered (same documents, nothing added)
     * @param tieBreak how the run's equal scores are ordered (the order equal grades keep)
     * @return a run named {@code candidates.name() + " (oracle)"} whose scores are strictly decreasing in
     *     the oracle order (so any tie-break ranks it the same way)
     */
    public static Run of(Qrels qrels, Run candidates, TieBreak tieBreak) {
        Run.Builder out = Run.builder(candidates.name() + " (oracle)");
        for (String q : candidates.queryIds()) {
            out.addQuery(q);
            Map<String, Integer> judged = qrels.contains(q) ? qrels.judgments(q) : Map.of();
            List<Run.ScoredDoc> ranked = new ArrayList<>(candidates.ranked(q, tieBreak));
            // List.sort is stable: equal grades keep the run's ranked order.
            ranked.sort(Comparator.comparingInt(d -> -Math.max(0, judged.getOrDefault(d.docId(), 0))));
            for (int i = 0; i < ranked.size(); i++) {
                out.add(q, ranked.get(i).docId(), ranked.size() - i);
            }
        }
        return out.build();
    }
}
