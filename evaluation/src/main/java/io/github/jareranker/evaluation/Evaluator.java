package io.github.jareranker.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates runs against qrels the way ranx does ({@code ranx.evaluate} after
 * {@code run.make_comparable(qrels)}):
 *
 * <ul>
 *   <li>the evaluated queries are the qrels queries; a qrels query missing from the run scores 0;
 *       run queries without judgments are ignored;
 *   <li>each query's documents are ranked by descending score with the configured
 *       {@link TieBreak} ({@link TieBreak#RANX} by default);
 *   <li>per-query scores follow {@link Metric}; the reported value is their arithmetic mean.
 * </ul>
 */
public final class Evaluator {
    private final TieBreak tieBreak;

    /** An evaluator ranking with {@code tieBreak}. */
    public Evaluator(TieBreak tieBreak) {
        this.tieBreak = Objects.requireNonNull(tieBreak, "tieBreak");
    }

    /** An evaluator with ranx's tie-breaking. */
    public static Evaluator ranx() {
        return new Evaluator(TieBreak.RANX);
    }

    /** The tie-breaking in use. */
    public TieBreak tieBreak() {
        return tieBreak;
    }

    /** Evaluates {@code run} on {@code metrics}. */
    public Evaluation evaluate(Qrels qrels, Run run, List<Metric> metrics) {
        Objects.requireNonNull(qrels, "qrels");
        Objects.requireNonNull(run, "run");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metrics to evaluate");
        }
        List<String> queryIds = new ArrayList<>(qrels.queryIds());
        Map<String, double[]> perQuery = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (perQuery.put(m.label(), new double[queryIds.size()]) != null) {
                throw new IllegalArgumentException("metric '" + m.label() + "' is listed twice");
            }
        }
        List<String> missing = new ArrayList<>();
        for (int q = 0; q < queryIds.size(); q++) {
            String qid = queryIds.get(q);
            if (!run.contains(qid)) {
                missing.add(qid);
            }
            List<String> ranked = new ArrayList<>();
            for (Run.ScoredDoc d : run.ranked(qid, tieBreak)) {
                ranked.add(d.docId());
            }
            Map<String, Integer> judgments = qrels.judgments(qid);
            for (Metric m : metrics) {
                perQuery.get(m.label())[q] = m.score(ranked, judgments);
            }
        }
        int ignored = 0;
        for (String qid : run.queryIds()) {
            if (!qrels.contains(qid)) {
                ignored++;
            }
        }
        return new Evaluation(run.name(), metrics, queryIds, perQuery, missing, ignored);
    }
}
