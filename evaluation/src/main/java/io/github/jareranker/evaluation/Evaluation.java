package io.github.jareranker.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of evaluating one run against qrels: per metric, the score of every qrels query and
 * their mean. Immutable.
 */
public final class Evaluation {
    private final String runName;
    private final List<Metric> metrics;
    private final List<String> queryIds;
    private final Map<String, double[]> perQuery;
    private final List<String> missingFromRun;
    private final int ignoredRunQueries;

    Evaluation(
            String runName,
            List<Metric> metrics,
            List<String> queryIds,
            Map<String, double[]> perQuery,
            List<String> missingFromRun,
            int ignoredRunQueries) {
        this.runName = runName;
        this.metrics = List.copyOf(metrics);
        this.queryIds = List.copyOf(queryIds);
        Map<String, double[]> copy = new LinkedHashMap<>();
        perQuery.forEach((k, v) -> copy.put(k, v.clone()));
        this.perQuery = Collections.unmodifiableMap(copy);
        this.missingFromRun = List.copyOf(missingFromRun);
        this.ignoredRunQueries = ignoredRunQueries;
    }

    /** The evaluated run's name. */
    public String runName() {
        return runName;
    }

    /** The metrics, in the order asked for. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** The evaluated (qrels) query ids, in qrels order. */
    public List<String> queryIds() {
        return queryIds;
    }

    /** Qrels queries the run has no results for (they scored 0). */
    public List<String> missingFromRun() {
        return missingFromRun;
    }

    /** Number of run queries without judgments (not evaluated). */
    public int ignoredRunQueries() {
        return ignoredRunQueries;
    }

    /** The mean of {@code metric} over all qrels queries (0 when there are none). */
    public double mean(Metric metric) {
        double[] scores = scores(metric);
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return scores.length == 0 ? 0.0 : sum / scores.length;
    }

    /** The mean of the metric labelled {@code label}. */
    public double mean(String label) {
        return mean(metric(label));
    }

    /** Every metric's mean, keyed by label, in metric order. */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : metrics) {
            out.put(m.label(), mean(m));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The per-query scores of {@code metric}, aligned with {@link #queryIds()} (a copy). */
    public double[] scores(Metric metric) {
        double[] s = perQuery.get(Objects.requireNonNull(metric, "metric").label());
        if (s == null) {
            throw new IllegalArgumentException("metric " + metric + " was not evaluated (have " + metrics + ")");
        }
        return s.clone();
    }

    /** The metric with this label. */
    public Metric metric(String label) {
        for (Metric m : metrics) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("metric " + label + " was not evaluated (have " + metrics + ")");
    }

    /**
     * Per-query comparison with {@code other} (same qrels): how many queries this run scores higher
     * on (wins), equal (ties) and lower (losses) for {@code metric}.
     */
    public WinTieLoss compare(Evaluation other, Metric metric) {
        if (!queryIds.equals(other.queryIds)) {
            throw new IllegalArgumentException(
                    "evaluations of " + runName + " and " + other.runName + " cover different queries");
        }
        double[] a = scores(metric);
        double[] b = other.scores(other.metric(metric.label()));
        int w = 0;
        int t = 0;
        int l = 0;
        List<String> wins = new ArrayList<>();
        List<String> losses = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                w++;
                wins.add(queryIds.get(i));
            } else if (a[i] < b[i]) {
                l++;
                losses.add(queryIds.get(i));
            } else {
                t++;
            }
        }
        return new WinTieLoss(w, t, l, wins, losses);
    }

    /**
     * Per-query outcome counts of one run against another, with the query ids won and lost.
     */
    public record WinTieLoss(int wins, int ties, int losses, List<String> wonQueries, List<String> lostQueries) {
        public WinTieLoss {
            wonQueries = List.copyOf(wonQueries);
            lostQueries = List.copyOf(lostQueries);
        }
    }

    @Override
    public String toString() {
        return "Evaluation[" + runName + ", " + queryIds.size() + " queries, " + means() + "]";
    }
}
