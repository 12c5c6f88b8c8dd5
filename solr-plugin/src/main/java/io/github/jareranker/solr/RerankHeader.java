package io.github.jareranker.solr;

import org.apache.lucene.search.TopDocs;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.request.SolrRequestInfo;

/**
 * Writes what the reranking of this request did into {@code responseHeader.jarerank} (skips, the pair
 * budget, telemetry) and counts it in the parser's metrics; called once per window by {@link SolrRerankRescorer},
 * never for a replay (which repeats a window that already reported). A value written twice (a replay for explain) replaces the first. Does nothing
 * outside a request. In SolrCloud each shard writes its own header in the query phase;
 * {@link RerankHeaderComponent} merges them into the coordinator's header.
 */
final class RerankHeader {
    /** The key of the section in the response header. */
    static final String KEY = "jarerank";

    private RerankHeader() {}

    static void skipped(RerankMetrics metrics, SkipRules.Reason reason) {
        metrics.skipped(reason);
        put("skipped", reason.key());
    }

    /** The pair budget and the window's telemetry, in the response header and the metrics. */
    static void window(
            RerankMetrics metrics, RerankRequest request, TopDocs firstPass, TopDocs rescored, long numFound) {
        if (request.budgetLimited(numFound)) {
            metrics.budgetLimited();
            put("budgetLimited", true);
            put("pairsScored", firstPass.scoreDocs.length);
        }
        if (rescored.scoreDocs.length == firstPass.scoreDocs.length) { // always, as the collector asks for all
            WindowTelemetry t = WindowTelemetry.of(firstPass.scoreDocs, rescored.scoreDocs);
            metrics.window(t);
            put("reRankCutoff", t.cutoff());
            put("displacedTop10", t.displacedTop10());
            t.kendallTau().ifPresent(tau -> put("kendallTau", (float) tau));
        }
    }

    private static void put(String name, Object value) {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        if (info == null || info.getRsp() == null || info.getRsp().getResponseHeader() == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        NamedList<Object> header = (NamedList<Object>) info.getRsp().getResponseHeader();
        synchronized (header) {
            Object section = header.get(KEY);
            NamedList<Object> ours;
            if (section instanceof NamedList) {
                @SuppressWarnings("unchecked")
                NamedList<Object> existing = (NamedList<Object>) section;
                ours = existing;
            } else {
                ours = new SimpleOrderedMap<>();
                header.add(KEY, ours);
            }
            int at = ours.indexOf(name, 0);
            if (at >= 0) {
                ours.setVal(at, value);
            } else {
                ours.add(name, value);
            }
        }
    }
}
