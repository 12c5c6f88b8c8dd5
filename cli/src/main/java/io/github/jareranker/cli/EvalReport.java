package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.ResultTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the evaluation commands print: the table or JSON, the summary line, coverage warnings, per-query changes. */
final class EvalReport {
    private EvalReport() {}

    static String summary(Evaluation e, TieBreak tieBreak) {
        return e.queryIds().size() + " queries (from the qrels), tie-break: "
                + tieBreak.name().toLowerCase(Locale.ROOT);
    }

    static void warnCoverage(PrintWriter err, List<Evaluation> evaluations) {
        for (Evaluation e : evaluations) {
            if (!e.missingFromRun().isEmpty()) {
                err.println("warning: run " + e.runName() + " has no results for "
                        + e.missingFromRun().size() + " qrels queries (scored 0), e.g. "
                        + e.missingFromRun().get(0));
            }
            if (e.ignoredRunQueries() > 0) {
                err.println("warning: run " + e.runName() + " has " + e.ignoredRunQueries()
                        + " queries without judgments (not evaluated)");
            }
        }
        err.flush();
    }

    static void print(
            PrintWriter out, EvalOutput output, List<Evaluation> evaluations, List<String> notes, TieBreak tieBreak) {
        if (output.json) {
            ObjectNode json = ResultTable.runsJson(evaluations, true);
            if (!notes.isEmpty()) {
                json.putArray("notes")
                        .addAll(notes.stream().map(TextNode::valueOf).toList());
            }
            out.println(ResultTable.toJson(json));
        } else {
            out.print(ResultTable.table(evaluations, true));
            out.println(summary(evaluations.get(0), tieBreak));
            for (String n : notes) {
                out.println(n);
            }
        }
        out.flush();
    }

    /**
     * Prints, for {@code metric}, every query whose score differs between {@code base} and {@code
     * other}: qid, both scores and the change, losses first (largest first), then wins.
     */
    static void printPerQuery(PrintWriter out, Evaluation base, Evaluation other, Metric metric) {
        double[] a = base.scores(metric);
        double[] b = other.scores(other.metric(metric.label()));
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                changed.add(i);
            }
        }
        changed.sort((x, y) -> Double.compare(b[x] - a[x], b[y] - a[y]));
        out.println();
        out.println("per query, " + metric.label() + ", " + other.runName() + " vs " + base.runName() + ": "
                + changed.size() + " changed, " + (a.length - changed.size()) + " unchanged (losses first)");
        int w = "qid".length();
        for (int i : changed) {
            w = Math.max(w, base.queryIds().get(i).length());
        }
        out.println(String.format(
                Locale.ROOT,
                "%-" + w + "s  %8s  %8s  %8s",
                "qid",
                base.runName().length() > 8 ? "base" : base.runName(),
                "reranked",
                "Δ"));
        for (int i : changed) {
            out.println(String.format(
                    Locale.ROOT,
                    "%-" + w + "s  %8.4f  %8.4f  %+8.4f",
                    base.queryIds().get(i),
                    a[i],
                    b[i],
                    b[i] - a[i]));
        }
        out.flush();
    }
}
