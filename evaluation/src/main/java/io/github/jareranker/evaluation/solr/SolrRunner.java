package io.github.jareranker.evaluation.solr;

import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.report.ProgressBar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a query set against Solr and collects each query's top {@code k} as a run. Run scores are
 * rank-derived ({@code k - rank + 1}), so the evaluated order is exactly Solr's order whatever
 * ties Solr's own scores have.
 *
 * @param client the Solr core
 * @param handler request handler path ({@code /select})
 * @param idField the unique-key field returned as document id
 * @param k how many hits to collect ({@code rows})
 * @param escape whether to escape query-syntax characters in the query text
 */
public record SolrRunner(SolrSearchClient client, String handler, String idField, int k, boolean escape) {
    /**
     * Request parameter that carries each query's text unescaped, for the reranker: {@code q} is
     * escaped for the query parser ({@code 梅雨 \(つゆ\)}), and a model reading {@code q} would see
     * the backslashes. Rank queries take it with {@code reRankText=$rqtext}.
     */
    public static final String TEXT_PARAM = "rqtext";

    public SolrRunner {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(idField, "idField");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        if (!handler.startsWith("/")) {
            handler = "/" + handler;
        }
    }

    /**
     * Searches every query with {@code q=<query text>} (escaped when {@code escape} is set), {@code
     * rows=k}, {@code rqtext=<query text>} (never escaped) and {@code params}; advances {@code
     * progress} by one per query.
     */
    public Run run(QuerySet queries, List<Map.Entry<String, String>> params, String runName, ProgressBar progress)
            throws IOException {
        Run.Builder b = Run.builder(runName);
        for (QuerySet.Entry q : queries.queries()) {
            List<Map.Entry<String, String>> p = new ArrayList<>();
            p.add(Map.entry("q", escape ? SolrSearchClient.escapeQueryChars(q.text()) : q.text()));
            p.add(Map.entry("rows", Integer.toString(k)));
            p.add(Map.entry(TEXT_PARAM, q.text()));
            for (Map.Entry<String, String> e : params) {
                if (!e.getKey().equals("q")
                        && !e.getKey().equals("rows")
                        && !e.getKey().equals(TEXT_PARAM)) {
                    p.add(e);
                }
            }
            List<SolrSearchClient.Hit> hits;
            try {
                hits = client.search(handler, p, idField);
            } catch (IOException e) {
                throw new IOException("query " + q.qid() + " (" + runName + "): " + e.getMessage(), e);
            }
            b.addQuery(q.qid());
            for (int i = 0; i < hits.size() && i < k; i++) {
                b.add(q.qid(), hits.get(i).id(), k - i);
            }
            progress.step(1);
        }
        return b.build();
    }

    /** Parses {@code key=value} (the value may contain '='). */
    public static Map.Entry<String, String> parseParam(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("parameter '" + text + "' is not key=value");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }
}
