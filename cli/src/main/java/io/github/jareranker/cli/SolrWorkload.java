package io.github.jareranker.cli;

import io.github.jareranker.evaluation.jsquad.JsquadDataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * The JSQuAD search workload of the commands that measure an in-process Solr ({@link WorkloadSolr}) on a core of the
 * example configset: the paragraphs as documents (title, body), the questions as user queries, BM25 through
 * {@code /select} and BM25 + {@code rq={!jarerank}} through {@code /search}. Stateless.
 */
final class SolrWorkload {
    private SolrWorkload() {}

    /** Every paragraph of {@code dataset} as a document of the example configset (id, title, body). */
    static List<SolrInputDocument> documents(JsquadDataset dataset) {
        List<SolrInputDocument> docs = new ArrayList<>();
        for (JsquadDataset.Paragraph p : dataset.paragraphs()) {
            SolrInputDocument d = new SolrInputDocument();
            d.addField("id", p.id());
            d.addField("title", p.title());
            d.addField("body", p.text());
            docs.add(d);
        }
        return docs;
    }

    /**
     * One search of the user's {@code text} (escaped, so question marks and brackets stay text):
     * reranked top {@code reRankDocs} when {@code reRankDocs > 0}, else BM25 only.
     */
    static QueryResponse search(SolrClient client, String core, String text, int reRankDocs, int rows, String fl)
            throws Exception {
        return search(client, core, text, reRankDocs, rows, fl, null);
    }

    /** As {@link #search(SolrClient, String, String, int, int, String)} with a filter query ({@code fq}; null: none). */
    static QueryResponse search(
            SolrClient client, String core, String text, int reRankDocs, int rows, String fl, String filter)
            throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        if (filter != null) {
            p.set("fq", filter);
        }
        p.set("q", ClientUtils.escapeQueryChars(text));
        p.set("rows", rows);
        p.set("fl", fl);
        // /select and /search of the example configset search alike (edismax over title^2 body);
        // /search adds the rerank query.
        QueryRequest request = new QueryRequest(p, SolrRequest.METHOD.POST);
        if (reRankDocs > 0) {
            p.set("rq", "{!jarerank reRankDocs=" + reRankDocs + "}");
            request.setPath("/search");
        } else {
            request.setPath("/select");
        }
        return request.process(client, core);
    }
}
