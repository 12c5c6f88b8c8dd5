package io.github.jareranker.solr;

import java.util.List;
import org.apache.solr.SolrTestCase;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.junit.Test;

/** The merge rules of {@link RerankHeaderComponent} on shard sections written by hand. */
public class RerankHeaderComponentTest extends SolrTestCase {

    private static NamedList<Object> section(Object... kv) {
        NamedList<Object> s = new SimpleOrderedMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            s.add((String) kv[i], kv[i + 1]);
        }
        return s;
    }

    private static NamedList<Object> shards(NamedList<?>... sections) {
        NamedList<Object> out = new SimpleOrderedMap<>();
        for (int i = 0; i < sections.length; i++) {
            out.add("shard" + (i + 1), sections[i]);
        }
        return out;
    }

    @Test
    public void testSkippedOnlyWhenEveryShardSkippedWithTheDistinctReasonsSorted() {
        NamedList<Object> all = RerankHeaderComponent.merge(
                shards(section("skipped", "matchAll"), section("skipped", "fewHits"), section("skipped", "matchAll")));
        assertEquals("fewHits,matchAll", all.get("skipped"));
        assertEquals(
                "matchAll",
                RerankHeaderComponent.merge(shards(section("skipped", "matchAll")))
                        .get("skipped"));
        NamedList<Object> some = RerankHeaderComponent.merge(shards(
                section("skipped", "fewHits"), section("reRankCutoff", 1.5f, "displacedTop10", 2, "kendallTau", 0.4f)));
        assertNull("one shard reranked: " + some, some.get("skipped"));
        assertNull(some.get("budgetLimited"));
    }

    @Test
    public void testBudgetFlaggedWhenAnyShardWasAndPairsSummedOverTheLimitedShards() {
        NamedList<Object> merged = RerankHeaderComponent.merge(shards(
                section("budgetLimited", true, "pairsScored", 30, "reRankCutoff", 2f),
                section("reRankCutoff", 1f),
                section("budgetLimited", true, "pairsScored", 12L)));
        assertEquals(Boolean.TRUE, merged.get("budgetLimited"));
        assertEquals(42L, merged.get("pairsScored"));
        assertNull(merged.get("skipped"));
    }

    @Test
    public void testTelemetryStaysPerShardUnderShardsVerbatim() {
        NamedList<Object> one = section("reRankCutoff", 1.93f, "displacedTop10", 3, "kendallTau", 0.41f);
        NamedList<Object> two = section("reRankCutoff", 0.5f, "displacedTop10", 0, "kendallTau", 1f);
        NamedList<Object> merged = RerankHeaderComponent.merge(shards(one, two));
        assertEquals(List.of("shards"), RerankTestSupport.names(merged));
        NamedList<?> shards = (NamedList<?>) merged.get(RerankHeaderComponent.SHARDS);
        assertEquals(List.of("shard1", "shard2"), RerankTestSupport.names(shards));
        assertSame(one, shards.get("shard1"));
        assertSame(two, shards.get("shard2"));
    }
}
