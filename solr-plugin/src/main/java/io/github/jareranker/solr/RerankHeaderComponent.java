package io.github.jareranker.solr;

import java.util.TreeSet;
import org.apache.solr.client.solrj.SolrResponse;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;

/**
 * Merges the shards' {@code responseHeader.jarerank} sections (written by {@link RerankHeader}) into the coordinator's
 * response header of a distributed (SolrCloud) request. Register it as a {@code last-components} entry of the search
 * handler that reranks:
 *
 * <pre>{@code
 * <searchComponent name="jarerankHeader" class="io.github.jareranker.solr.RerankHeaderComponent"/>
 * <requestHandler name="/search" class="solr.SearchHandler">
 *   ...
 *   <arr name="last-components"><str>jarerankHeader</str></arr>
 * </requestHandler>
 * }</pre>
 *
 * <p>Only the query phase's shard responses ({@link ShardRequest#PURPOSE_GET_TOP_IDS}) are read: that is where each
 * shard reranks and writes its header. The second, fields-only shard request does not write one (a replay for {@code
 * [jarerank]} or explain reports nothing), so the merged header describes the shards' first phase. Shards that failed
 * ({@code shards.tolerant}) and shards that wrote no section (a page served from their queryResultCache, no reranking
 * query) are left out. The merged section is written only when at least one shard wrote one, with these rules:
 *
 * <ul>
 *   <li>{@code shards}: each such shard's section verbatim, keyed by its slice name ({@code shard1}; the shard's
 *       address where Solr knows no slice name). Telemetry ({@code reRankCutoff}, {@code displacedTop10}, {@code
 *       kendallTau}) is per shard only: each describes that shard's own window, and a sum or mean across shards would
 *       describe no window.
 *   <li>{@code skipped}: present when every shard in {@code shards} skipped the model; the reason, or the distinct
 *       reasons sorted and joined with {@code ","} (e.g. {@code "fewHits,matchAll"}). When only some shards skipped,
 *       it is absent and {@code shards} says which.
 *   <li>{@code budgetLimited}: {@code true} when any shard's window was cut by {@code maxPairs}.
 *   <li>{@code pairsScored}: with {@code budgetLimited}, the sum of the budget-limited shards' {@code pairsScored}
 *       (shards that were not limited scored their whole window and report no count, as standalone).
 * </ul>
 *
 * <p>Outside a distributed request (standalone, or a shard's own request) it does nothing: the header is the one
 * {@link RerankHeader} wrote. Stateless and thread-safe.
 */
public final class RerankHeaderComponent extends SearchComponent {
    /** Key of the per-shard sections inside the merged {@code jarerank} section. */
    static final String SHARDS = "shards";

    @Override
    public void prepare(ResponseBuilder rb) {}

    @Override
    public void process(ResponseBuilder rb) {}

    @Override
    public void handleResponses(ResponseBuilder rb, ShardRequest sreq) {
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) == 0) {
            return;
        }
        NamedList<Object> shards = new SimpleOrderedMap<>();
        for (ShardResponse srsp : sreq.responses) {
            NamedList<?> section = section(srsp);
            if (section != null) {
                shards.add(shardName(rb, srsp.getShard()), section);
            }
        }
        if (shards.size() == 0) {
            return;
        }
        NamedList<Object> merged = merge(shards);
        @SuppressWarnings("unchecked")
        NamedList<Object> header = (NamedList<Object>) rb.rsp.getResponseHeader();
        if (header == null) {
            return;
        }
        synchronized (header) {
            header.removeAll(RerankHeader.KEY);
            header.add(RerankHeader.KEY, merged);
        }
    }

    /** The merged section of {@code shards} (shard name to its non-empty section), as the class javadoc states. */
    static NamedList<Object> merge(NamedList<Object> shards) {
        TreeSet<String> reasons = new TreeSet<>();
        boolean allSkipped = true;
        boolean budgetLimited = false;
        long pairsScored = 0;
        for (int i = 0; i < shards.size(); i++) {
            NamedList<?> s = (NamedList<?>) shards.getVal(i);
            Object skipped = s.get("skipped");
            if (skipped == null) {
                allSkipped = false;
            } else {
                reasons.add(String.valueOf(skipped));
            }
            if (Boolean.TRUE.equals(s.get("budgetLimited"))) {
                budgetLimited = true;
                if (s.get("pairsScored") instanceof Number n) {
                    pairsScored += n.longValue();
                }
            }
        }
        NamedList<Object> merged = new SimpleOrderedMap<>();
        if (allSkipped) {
            merged.add("skipped", String.join(",", reasons));
        }
        if (budgetLimited) {
            merged.add("budgetLimited", true);
            merged.add("pairsScored", pairsScored);
        }
        merged.add(SHARDS, shards);
        return merged;
    }

    /** The shard's {@code responseHeader.jarerank}, or null (a failed shard, no header, no non-empty section). */
    private static NamedList<?> section(ShardResponse srsp) {
        if (srsp.getException() != null) {
            return null;
        }
        SolrResponse rsp = srsp.getSolrResponse();
        NamedList<Object> body = rsp == null ? null : rsp.getResponse();
        if (body == null || !(body.get("responseHeader") instanceof NamedList<?> header)) {
            return null;
        }
        return header.get(RerankHeader.KEY) instanceof NamedList<?> section && section.size() > 0 ? section : null;
    }

    /** The slice name of {@code shard} (one entry of {@code rb.shards}), else the shard's address itself. */
    private static String shardName(ResponseBuilder rb, String shard) {
        if (shard != null && rb.shards != null && rb.slices != null && rb.slices.length == rb.shards.length) {
            for (int i = 0; i < rb.shards.length; i++) {
                if (shard.equals(rb.shards[i]) && rb.slices[i] != null) {
                    return rb.slices[i];
                }
            }
        }
        return shard == null ? "unknown" : shard;
    }

    @Override
    public String getDescription() {
        return "ja-reranker: merges the shards' responseHeader.jarerank on the coordinator";
    }
}
