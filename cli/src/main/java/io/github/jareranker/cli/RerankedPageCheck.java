package io.github.jareranker.cli;

import io.github.jareranker.encoder.CrossEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;

/**
 * Checks a reranked page of the example configset's core against the model run in this process ({@code soak}'s
 * check): each hit's {@code [jarerank]} score equals the model's score of its text, and the page holds the highest
 * model scores of the first-pass top {@code reRankDocs}, in order (equal within 1e-4 position by position, so exact
 * ties may swap). Thread-safe as far as the client and the model are.
 */
final class RerankedPageCheck {
    private static final String MODEL_FIELDS_SEPARATOR = " ";
    private static final double TOLERANCE = 1e-4;

    private final SolrClient client;
    private final String core;
    private final CrossEncoder model;
    private final int reRankDocs;

    RerankedPageCheck(SolrClient client, String core, CrossEncoder model, int reRankDocs) {
        this.client = client;
        this.core = core;
        this.model = model;
        this.reRankDocs = reRankDocs;
    }

    /** A description of the first mismatch of {@code reranked}, the page Solr answered for {@code q}, or null. */
    String problem(String q, QueryResponse reranked) throws Exception {
        QueryResponse firstPass = SolrWorkload.search(client, core, q, 0, reRankDocs, "id,title,body");
        List<String> texts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : firstPass.getResults()) {
            ids.add((String) d.getFieldValue("id"));
            texts.add(modelText(d));
        }
        // The plugin reads the user's query text trimmed (CrossEncoderRerankQParser).
        float[] scores = model.score(q.trim(), texts).scores();
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        int i = 0;
        for (SolrDocument d : reranked.getResults()) {
            Object m = d.getFieldValue("[jarerank]");
            int at = ids.indexOf((String) d.getFieldValue("id"));
            if (m == null || at < 0) {
                return "query '" + q + "': hit " + d.getFieldValue("id")
                        + " has no model score or was not in the first pass";
            }
            float score = ((Number) m).floatValue();
            float expected = sorted[sorted.length - 1 - i];
            if (Math.abs(score - scores[at]) > TOLERANCE || Math.abs(score - expected) > TOLERANCE) {
                return "query '" + q + "': rank " + (i + 1) + " is " + d.getFieldValue("id") + " with model score "
                        + score + "; the model gives it " + scores[at] + " and the rank-" + (i + 1) + " score is "
                        + expected;
            }
            i++;
        }
        return null;
    }

    /**
     * The text the plugin's model reads for a hit, assembled as the rescorer does: the configset's fields (title,
     * body) in order, empty values skipped, joined with a space.
     */
    private static String modelText(SolrDocument d) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("title", "body")) {
            Object v = d.getFieldValue(field);
            if (v != null && !v.toString().isEmpty()) {
                parts.add(v.toString());
            }
        }
        return String.join(MODEL_FIELDS_SEPARATOR, parts);
    }
}
