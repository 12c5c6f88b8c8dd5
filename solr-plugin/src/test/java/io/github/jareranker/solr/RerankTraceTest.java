package io.github.jareranker.solr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.solr.SolrTestCase;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrQueryRequestBase;
import org.junit.Test;

/**
 * {@link RerankTrace} without a Solr core: one trace per request, the cache decision announced by the transformer
 * or debug, the replay callback asked only while the reranking has not run, and a fallback that answers for every
 * hit. The scores themselves are checked end to end (StandaloneRerankTest, SolrCloudRerankTest).
 */
public class RerankTraceTest extends SolrTestCase {

    private static SolrQueryRequest request() {
        return new SolrQueryRequestBase(null, new ModifiableSolrParams()) {};
    }

    @Test
    public void oneTracePerRequestKeptInTheRequestContext() {
        SolrQueryRequest req = request();
        assertTrue(RerankTrace.find(req).isEmpty());
        RerankTrace trace = RerankTrace.of(req);
        assertSame(trace, RerankTrace.of(req));
        assertSame(trace, RerankTrace.find(req).orElseThrow());
        assertNotSame(trace, RerankTrace.of(request()));
    }

    @Test
    public void theTransformerOrDebugMakeTheRequestUncacheable() {
        RerankTrace plain = RerankTrace.of(request());
        assertTrue(plain.cacheable());
        RerankTrace withScores = RerankTrace.of(request());
        withScores.wantModelScores();
        assertFalse(withScores.cacheable());
        RerankTrace debug = RerankTrace.of(request());
        debug.debug();
        assertFalse(debug.cacheable());
    }

    @Test
    public void ensureRunAsksTheReplayOnlyUntilTheRerankingHasRun() throws Exception {
        RerankTrace trace = RerankTrace.of(request());
        List<int[]> asked = new ArrayList<>();
        trace.ensureRun(null, new int[] {1}); // no replay registered: nothing to ask
        trace.replayer((searcher, rows) -> asked.add(rows));
        trace.ensureRun(null, new int[] {3, 5});
        assertEquals(1, asked.size());
        assertArrayEquals(new int[] {3, 5}, asked.get(0));
        assertFalse(trace.hasRun());

        trace.fellBack("model skipped: too few hits");
        trace.ensureRun(null, null);
        assertEquals("a trace that has run is not replayed", 1, asked.size());
    }

    @Test
    public void aFallbackAnswersForEveryHitWithItsReason() {
        RerankTrace trace = RerankTrace.of(request());
        assertFalse(trace.hasRun());
        assertTrue(trace.fallbackReason().isEmpty());
        trace.fellBack("jarerank model 'ja' exceeded timeoutMs=5");
        assertTrue(trace.hasRun());
        assertEquals(
                "jarerank model 'ja' exceeded timeoutMs=5",
                trace.fallbackReason().orElseThrow());
        for (int doc : new int[] {0, 1, 42}) {
            assertFalse(trace.reranked(doc));
            assertTrue(trace.modelScore(doc).isEmpty());
        }
        assertTrue(trace.scorer().isEmpty());
        assertTrue(trace.stage2().isEmpty());
    }

    @Test
    public void aPartialReplayKnowsTheWholeBlockButScoresOnlyTheRowsAsked() {
        RerankTrace trace = RerankTrace.of(request());
        trace.rescoredRows(Set.of(4, 7, 9), null); // the rows asked were none of the block's hits
        assertTrue(trace.hasRun());
        assertTrue(trace.reranked(7));
        assertFalse(trace.reranked(8));
        assertTrue("no scorer: no model score", trace.modelScore(7).isEmpty());
        TailScores tail = TailScores.belowFloor(2.5f);
        trace.tail(tail);
        assertSame(tail, trace.tail().orElseThrow());
    }
}
