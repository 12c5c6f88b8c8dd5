package io.github.jareranker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Metric;
import io.github.jareranker.evaluation.TieBreak;
import io.github.jareranker.evaluation.report.BarChart;
import io.github.jareranker.evaluation.report.ResultTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the evaluation commands print: the table or JSON, the summary line, coverage warnings, per-query changes, and
 * the chart of {@code --chart}.
 */
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
        if (output.json()) {
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
     * With {@code --chart FILE.png}: draws each metric's mean per run (one group of bars per run, one bar per
     * metric, the value written at each bar) and says where on {@code err}; nothing without {@code --chart}.
     */
    static void chart(PrintWriter err, EvalOutput output, List<Evaluation> evaluations) throws IOException {
        if (output.chart == null) {
            return;
        }
        List<Metric> metrics = evaluations.get(0).metrics();
        String title = metrics.stream().map(Metric::label).collect(Collectors.joining(", ")) + " per run ("
                + evaluations.get(0).queryIds().size() + " queries)";
        BarChart chart =
                new BarChart(title, "", "mean over the queries").horizontal().valueLabels("0.0000");
        // Every metric but hits@k is a mean of per-query values in [0, 1]: a fixed axis keeps charts comparable
        // (up to 1.1, so that the value written after a bar at 1 stays inside the chart).
        if (metrics.stream().noneMatch(m -> m.kind() == Metric.Kind.HITS)) {
            chart.valueRange(0, 1.1);
        }
        for (Evaluation e : evaluations) {
            for (Metric m : metrics) {
                chart.add(m.label(), e.runName(), e.mean(m));
            }
        }
        int height = 110 + chart.categories() * (24 + 18 * metrics.size());
        chart.writePng(output.chart, 900, height);
        err.println("chart: " + output.chart);
        err.flush();
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
