package io.github.jareranker.solr;

import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.request.SolrRequestInfo;

/**
 * Writes what the reranking of this request did into {@code responseHeader.jarerank} (skips, the pair
 * budget, telemetry). A value written twice (a replay for explain) replaces the first. Does nothing
 * outside a request. In SolrCloud each shard writes its own header in the query phase;
 * {@link RerankHeaderComponent} merges them into the coordinator's header.
 */
final class RerankHeader {
    /** The key of the section in the response header. */
    static final String KEY = "jarerank";

    private RerankHeader() {}

    static void put(String name, Object value) {
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
