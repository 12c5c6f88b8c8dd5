package io.github.jareranker.evaluation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jareranker.evaluation.Evaluation;
import io.github.jareranker.evaluation.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats evaluations for people (an aligned text table, 4 decimals, optionally with per-query
 * wins/ties/losses against the first row) and for scripts (JSON with full-precision numbers).
 */
public final class ResultTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultTable() {}

    /**
     * The metric means of one evaluation as a JSON object whose keys are the metric labels as given,
     * e.g. {@code {"ndcg@10":0.4580067...,"mrr@10":0.7019...}}.
     */
    public static ObjectNode meansJson(Evaluation e) {
        ObjectNode node = JSON.createObjectNode();
        e.means().forEach(node::put);
        return node;
    }

    /**
     * Several evaluations as {@code {"runs": {name: {metric: mean}}, "queries": n}} plus, when
     * {@code compare} is set, {@code "vs_first": {name: {metric: {"wins": w, "ties": t,
     * "losses": l}}}} against the first evaluation.
     */
    public static ObjectNode runsJson(List<Evaluation> evaluations, boolean compare) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode runs = root.putObject("runs");
        for (Evaluation e : evaluations) {
            runs.set(uniqueName(runs, e.runName()), meansJson(e));
        }
        root.put(
                "queries",
                evaluations.isEmpty() ? 0 : evaluations.get(0).queryIds().size());
        if (compare && evaluations.size() > 1) {
            ObjectNode vs = root.putObject("vs_first");
            Evaluation base = evaluations.get(0);
            for (Evaluation e : evaluations.subList(1, evaluations.size())) {
                ObjectNode perMetric = vs.putObject(uniqueName(vs, e.runName()));
                for (Metric m : e.metrics()) {
                    Evaluation.WinTieLoss w = e.compare(base, m);
                    ObjectNode o = perMetric.putObject(m.label());
                    o.put("wins", w.wins());
                    o.put("ties", w.ties());
                    o.put("losses", w.losses());
                }
            }
        }
        return root;
    }

    private static String uniqueName(ObjectNode node, String name) {
        String n = name;
        for (int i = 2; node.has(n); i++) {
            n = name + "#" + i;
        }
        return n;
    }

    /** Serializes {@code node} on one line. */
    /**
     * The oracles of runs, {@code {runName: {metric: {"oracle": o, "run": r, "gap": o - r}}}}, for
     * {@code evaluations} and the evaluations of their {@link io.github.jareranker.evaluation.OracleRun}s
     * (same order).
     */
    public static ObjectNode oracleJson(List<Evaluation> evaluations, List<Evaluation> oracles) {
        ObjectNode root = JSON.createObjectNode();
        for (int i = 0; i < evaluations.size(); i++) {
            Evaluation run = evaluations.get(i);
            ObjectNode perMetric = root.putObject(uniqueName(root, run.runName()));
            for (Metric m : run.metrics()) {
                double o = oracles.get(i).mean(m);
                double r = run.mean(m);
                ObjectNode n = perMetric.putObject(m.label());
                n.put("oracle", o);
                n.put("run", r);
                n.put("gap", o - r);
            }
        }
        return root;
    }

    public static String toJson(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A table: one row per evaluation, one column per metric; when {@code compare} is set and there
     * are several rows, each later row also shows, per metric, its change from the first row and
     * the per-query wins/ties/losses (W/T/L) against it.
     */
    public static String table(List<Evaluation> evaluations, boolean compare) {
        if (evaluations.isEmpty()) {
            return "";
        }
        List<Metric> metrics = evaluations.get(0).metrics();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("run");
        for (Metric m : metrics) {
            header.add(m.label());
        }
        boolean withDelta = compare && evaluations.size() > 1;
        if (withDelta) {
            for (Metric m : metrics) {
                header.add("Δ " + m.label() + " (W/T/L)");
            }
        }
        rows.add(header);
        Evaluation base = evaluations.get(0);
        for (Evaluation e : evaluations) {
            List<String> row = new ArrayList<>();
            row.add(e.runName());
            for (Metric m : metrics) {
                row.add(String.format(Locale.ROOT, "%.4f", e.mean(m)));
            }
            if (withDelta) {
                for (Metric m : metrics) {
                    if (e == base) {
                        row.add("(baseline)");
                    } else {
                        Evaluation.WinTieLoss w = e.compare(base, m);
                        row.add(String.format(
                                Locale.ROOT,
                                "%+.4f (%d/%d/%d)",
                                e.mean(m) - base.mean(m),
                                w.wins(),
                                w.ties(),
                                w.losses()));
                    }
                }
            }
            rows.add(row);
        }
        return align(rows);
    }

    private static String align(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> r : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            for (int c = 0; c < cols; c++) {
                String cell = r.get(c);
                if (c == 0) {
                    sb.append(cell).append(" ".repeat(width[c] - cell.length()));
                } else {
                    sb.append("  ").append(" ".repeat(width[c] - cell.length())).append(cell);
                }
            }
            sb.append(System.lineSeparator());
            if (i == 0) {
                int total = 0;
                for (int w : width) {
                    total += w;
                }
                sb.append("-".repeat(total + 2 * (cols - 1))).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }
}
