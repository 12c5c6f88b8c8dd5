package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.CrossEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.util.NamedList;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rerank-pipeline features in SolrCloud (MiniSolrCloudCluster, one node, a 2-shard collection of the example
 * configset plus the models {@code raw} and {@code short}, a skip pattern and a pair-score cache): fusion, skip rules,
 * the pair budget, telemetry, the pair cache and the cascade. Expected values come from each shard's own answer
 * ({@code distrib=false}) and from the engines loaded here; the coordinator's {@code responseHeader.jarerank} is the
 * merge of {@link RerankHeaderComponent}.
 */
@SolrTestCaseJ4.SuppressSSL
public class SolrCloudPipelineTest extends SolrCloudTestCase {
    private static final String PIPE = "pipeline_two_shards";
    private static final String FL = "id,score,[jarerank]";
    /** A query whose hits (most pages mention 市) fill more than 10 places on each shard. */
    private static final String WIDE = "市の窓口で申し込みと受け付けの利用案内";
    /** Numbers the filters that keep the shards' queryResultCache from answering (a cached page writes no header). */
    private static final AtomicInteger FRESH = new AtomicInteger();

    private static CrossEncoder raw;
    private static CrossEncoder ja;
    private static CrossEncoder shortModel;
    private static Map<String, Map<String, String>> docs;

    @BeforeClass
    public static void setupCluster() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        RerankTestSupport.setModelProperties();
        System.setProperty("metricsEnabled", "true");
        Path conf = CascadeRerankTest.cascadeConf(createTempDir("pipeline").resolve("conf"));
        Path solrconfig = conf.resolve("solrconfig.xml");
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8);
        String cacheOff = RerankTestSupport.PAIR_CACHE_OFF;
        assertTrue("the test configset sets pairCacheSize as " + cacheOff, xml.contains(cacheOff));
        Files.writeString(solrconfig, xml.replace(cacheOff, "1000"), StandardCharsets.UTF_8);
        configureCluster(1).addConfig("pipeline", conf).configure();
        CollectionAdminRequest.createCollection(PIPE, "pipeline", 2, 1).process(cluster.getSolrClient());
        cluster.waitForActiveCollection(PIPE, 2, 2);
        List<Map<String, String>> sample = RerankTestSupport.sampleDocs();
        docs = RerankTestSupport.byId(sample);
        UpdateRequest up = new UpdateRequest();
        up.add(RerankTestSupport.inputDocs(sample));
        up.commit(cluster.getSolrClient(), PIPE);
        raw = PipelineRerankTest.loadRawReference();
        ja = RerankTestSupport.loadReferenceModel();
        shortModel = CascadeRerankTest.loadShortReference();
    }

    @AfterClass
    public static void tearDownEngines() throws Exception {
        for (CrossEncoder e : new CrossEncoder[] {raw, ja, shortModel}) {
            if (e != null) {
                e.close();
            }
        }
        raw = null;
        ja = null;
        shortModel = null;
        docs = null;
        RerankTestSupport.clearModelProperties();
        System.clearProperty("metricsEnabled");
    }

    private static String[] params(List<String> base, String... more) {
        List<String> kv = new ArrayList<>(base);
        kv.addAll(List.of(more));
        return kv.toArray(new String[0]);
    }

    /** A distributed /search with a new filter that excludes nothing (so no shard answers from its cache). */
    private static QueryResponse distributed(String fl, String q, String rq, int rows, String... more)
            throws Exception {
        List<String> base = List.of(
                "q",
                q,
                "rq",
                rq,
                "rows",
                String.valueOf(rows),
                "fl",
                fl,
                "fq",
                "*:* -id:fresh-" + FRESH.incrementAndGet());
        return query(cluster.getSolrClient(), PIPE, "/search", params(base, more));
    }

    /** Each shard's own first pass (/select, distrib=false), by slice name. */
    private static Map<String, List<Hit>> shardFirstPass(String q, String... more) throws Exception {
        return CloudShards.leaderHits(
                cluster, PIPE, "/select", params(List.of("q", q, "fl", "id,score", "rows", "200"), more));
    }

    /** Each shard's own reranked list (/search, distrib=false), by slice name. */
    private static Map<String, List<Hit>> shardReranked(String q, String rq) throws Exception {
        return CloudShards.leaderHits(cluster, PIPE, "/search", "q", q, "rq", rq, "fl", FL, "rows", "200");
    }

    /** The hits of {@code merged} that belong to {@code shard}, in merged order. */
    private static List<Hit> ofShard(List<Hit> merged, List<Hit> shard) {
        Set<String> mine = new HashSet<>(ids(shard));
        return merged.stream().filter(h -> mine.contains(h.id())).toList();
    }

    /** The merged {@code responseHeader.jarerank}. */
    private static NamedList<?> header(QueryResponse rsp) {
        NamedList<?> h = (NamedList<?>) rsp.getResponseHeader().get(RerankHeader.KEY);
        assertNotNull("no merged jarerank header: " + rsp.getResponseHeader(), h);
        return h;
    }

    /** The merged header's per-shard sections. */
    private static NamedList<?> shardSections(QueryResponse rsp) {
        NamedList<?> shards = (NamedList<?>) header(rsp).get(RerankHeaderComponent.SHARDS);
        assertNotNull("no per-shard sections: " + header(rsp), shards);
        return shards;
    }

    private static NamedList<?> shardSection(QueryResponse rsp, String slice) {
        NamedList<?> section = (NamedList<?>) shardSections(rsp).get(slice);
        assertNotNull("no section of " + slice + ": " + header(rsp), section);
        return section;
    }

    private static float number(NamedList<?> section, String key) {
        Object v = section.get(key);
        assertNotNull(key + " in " + section, v);
        return ((Number) v).floatValue();
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testRrfAndMinmaxMergeTheShardsFusedWindowsWithPerShardTelemetry() throws Exception {
        String q = WIDE;
        int window = 5;
        float weight = 0.5f;
        int k = 2;
        Map<String, List<Hit>> fp = shardFirstPass(q);
        assertEquals(2, fp.size());
        for (boolean rrf : new boolean[] {true, false}) {
            String rq = rrf
                    ? "{!jarerank model=raw reRankOperator=rrf reRankRrfK=" + k + " reRankDocs=" + window + "}"
                    : "{!jarerank model=raw reRankOperator=minmax reRankWeight=" + weight + " reRankDocs=" + window
                            + "}";
            Map<String, List<Hit>> own = shardReranked(q, rq);
            List<Hit> expectedMerge = new ArrayList<>();
            Map<String, List<String>> expectedByShard = new HashMap<>();
            for (Map.Entry<String, List<Hit>> shard : fp.entrySet()) {
                List<Hit> first = shard.getValue();
                List<String> fpIds = ids(first);
                assertTrue(shard.getKey() + " needs hits past the window: " + first, first.size() > window + 1);
                // The shard's fused window, computed here from its first pass and the engine's logits.
                float[] logit = PipelineRerankTest.logits(raw, docs, q, fpIds.subList(0, window));
                double[] fused = rrf
                        ? PipelineRerankTest.rrf(logit, k)
                        : PipelineRerankTest.minmax(PipelineRerankTest.scores(first.subList(0, window)), logit, weight);
                List<Integer> order = PipelineRerankTest.fusedOrder(fused);
                List<String> want = new ArrayList<>();
                order.forEach(i -> want.add(fpIds.get(i)));
                want.addAll(fpIds.subList(window, fpIds.size()));
                List<Hit> got = own.get(shard.getKey());
                assertEquals(rq + " on " + shard.getKey(), want, ids(got));
                for (int r = 0; r < window; r++) {
                    assertEquals(
                            got.get(r).toString(),
                            (float) fused[order.get(r)],
                            got.get(r).score(),
                            1e-5f);
                    assertEquals(
                            got.get(r).toString(),
                            logit[order.get(r)],
                            got.get(r).modelScore(),
                            1e-4f);
                }
                for (Hit tail : got.subList(window, got.size())) {
                    assertNull(tail.toString(), tail.modelScore());
                    assertTrue("the tail stays below the fused window: " + tail, tail.score() < 0f);
                }
                expectedMerge.addAll(got);
                expectedByShard.put(shard.getKey(), want);
            }
            expectedMerge.sort(Comparator.comparingDouble((Hit h) -> -h.score()));
            QueryResponse rsp = distributed(FL, q, rq, expectedMerge.size());
            List<Hit> got = hits(rsp);
            SolrCloudRerankTest.assertSameMerge(rq, expectedMerge, got);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(
                        "both shards' fused windows come first: " + got,
                        i < 2 * window,
                        got.get(i).modelScore() != null);
            }
            // The merged header: nothing skipped or cut, each shard's own window described under its name.
            NamedList<?> h = header(rsp);
            assertNull(h.toString(), h.get("skipped"));
            assertNull(h.toString(), h.get("budgetLimited"));
            assertEquals(fp.keySet(), new HashSet<>(RerankTestSupport.names(shardSections(rsp))));
            for (Map.Entry<String, List<Hit>> shard : fp.entrySet()) {
                NamedList<?> section = shardSection(rsp, shard.getKey());
                List<String> fpIds = ids(shard.getValue());
                assertEquals(
                        "the shard's cutoff: " + section,
                        shard.getValue().get(window - 1).score(),
                        number(section, "reRankCutoff"),
                        1e-5f);
                assertEquals(
                        "the shard's Kendall tau: " + section,
                        PipelineRerankTest.kendallTau(fpIds.subList(0, window), expectedByShard.get(shard.getKey())),
                        number(section, "kendallTau"),
                        1e-6f);
                assertEquals(0, (int) number(section, "displacedTop10")); // a window of 5 stays in the top 10
            }
        }
    }

    @Test
    public void testSkipRulesAnswerInFirstPassOrderWithTheMergedHeaderSayingSkipped() throws Exception {
        assertSkipped("*:*", "{!jarerank reRankDocs=20}", "matchAll", true, "defType", "lucene");
        assertSkipped("ごみの出し方", "{!jarerank reRankDocs=20 reRankText=AB-1234}", "queryPattern", true);
        // One hit in the collection: its shard skips (fewHits); the other finds nothing.
        assertSkipped("id:gomi-02", "{!jarerank reRankText=ごみ}", "fewHits", false, "defType", "lucene");
    }

    /**
     * The distributed answer is Solr's own distributed first pass (same scores, each shard's hits in its first-pass
     * order) without model scores, and the merged header says {@code reason}, as does each shard's section ({@code
     * everyShard}: both shards wrote one).
     */
    private void assertSkipped(String q, String rq, String reason, boolean everyShard, String... more)
            throws Exception {
        List<Hit> firstPass = hits(query(
                cluster.getSolrClient(),
                PIPE,
                "/select",
                params(List.of("q", q, "fl", "id,score", "rows", "200"), more)));
        assertFalse(q, firstPass.isEmpty());
        Map<String, List<Hit>> perShard = shardFirstPass(q, more);
        QueryResponse rsp = distributed(FL, q, rq, 200, more);
        List<Hit> got = hits(rsp);
        SolrCloudRerankTest.assertSameMerge(q, firstPass, got);
        for (List<Hit> shard : perShard.values()) {
            assertEquals("the shard's first-pass order", ids(shard), ids(ofShard(got, shard)));
        }
        for (Hit h : got) {
            assertNull("no model score when skipped: " + h, h.modelScore());
        }
        assertNull("a skip is not a partial result", rsp.getResponseHeader().get("partialResults"));
        assertEquals(header(rsp).toString(), reason, header(rsp).get("skipped"));
        NamedList<?> sections = shardSections(rsp);
        assertEquals(sections.toString(), everyShard ? 2 : 1, sections.size());
        for (int i = 0; i < sections.size(); i++) {
            assertEquals(sections.toString(), reason, ((NamedList<?>) sections.getVal(i)).get("skipped"));
        }
    }

    @Test
    public void testMaxPairsRerankEachShardsHeadAndTheMergedHeaderSumsThePairs() throws Exception {
        String q = WIDE;
        int budget = 4;
        int window = 8;
        Map<String, List<Hit>> fp = shardFirstPass(q);
        QueryResponse rsp =
                distributed(FL, q, "{!jarerank model=raw reRankDocs=" + window + " maxPairs=" + budget + "}", 200);
        List<Hit> got = hits(rsp);
        int total = 0;
        for (Map.Entry<String, List<Hit>> shard : fp.entrySet()) {
            List<String> fpIds = ids(shard.getValue());
            assertTrue(shard.getKey() + " has hits past the window: " + fpIds, fpIds.size() > window);
            total += fpIds.size();
            // The shard's first-pass top 4 in the engine's order, then its first-pass order from rank 5 on (the rest
            // of the window, then the hits past it).
            float[] logit = PipelineRerankTest.logits(raw, docs, q, fpIds.subList(0, budget));
            List<Integer> head = new ArrayList<>(List.of(0, 1, 2, 3));
            head.sort((a, b) -> logit[a] != logit[b] ? Float.compare(logit[b], logit[a]) : Integer.compare(a, b));
            List<String> want = new ArrayList<>();
            head.forEach(i -> want.add(fpIds.get(i)));
            want.addAll(fpIds.subList(budget, fpIds.size()));
            List<Hit> mine = ofShard(got, shard.getValue());
            assertEquals(shard.getKey(), want, ids(mine));
            for (int i = 0; i < mine.size(); i++) {
                assertEquals(
                        "only the head has model scores: " + mine.get(i),
                        i < budget,
                        mine.get(i).modelScore() != null);
                if (i < budget) {
                    assertEquals(
                            mine.get(i).toString(),
                            logit[head.get(i)],
                            mine.get(i).modelScore(),
                            1e-4f);
                }
            }
            NamedList<?> section = shardSection(rsp, shard.getKey());
            assertEquals(section.toString(), Boolean.TRUE, section.get("budgetLimited"));
            assertEquals(section.toString(), budget, (int) number(section, "pairsScored"));
        }
        assertEquals(total, got.size());
        NamedList<?> h = header(rsp);
        assertEquals(h.toString(), Boolean.TRUE, h.get("budgetLimited"));
        assertEquals(h.toString(), 2 * budget, (int) number(h, "pairsScored"));
        assertNull(h.toString(), h.get("skipped"));
    }

    @Test
    public void testThePairCacheServesTheSecondRequestOnEveryShardWithIdenticalScores() throws Exception {
        String q = "粗大ごみの申し込み方法"; // no other test asks this: its pairs are not cached yet
        String rq = "{!jarerank model=raw reRankDocs=100}";
        int pairs = 0;
        int hits = 0;
        for (List<Hit> shard : shardFirstPass(q).values()) {
            hits += shard.size();
            assertTrue("each shard reranks (more than one hit): " + shard, shard.size() > 1);
            pairs += shard.size();
        }
        long hits0 = CloudShards.metricSum(cluster, PIPE, "pairCache.hits");
        long misses0 = CloudShards.metricSum(cluster, PIPE, "pairCache.misses");
        long scored0 = CloudShards.metricSum(cluster, PIPE, "pairs");
        // fl without [jarerank]: the second shard request replays nothing, so the counts are the first phase's.
        List<Hit> first = hits(distributed("id,score", q, rq, hits));
        long hits1 = CloudShards.metricSum(cluster, PIPE, "pairCache.hits");
        long misses1 = CloudShards.metricSum(cluster, PIPE, "pairCache.misses");
        long scored1 = CloudShards.metricSum(cluster, PIPE, "pairs");
        assertEquals("each pair looked up once", pairs, (hits1 - hits0) + (misses1 - misses0));
        assertTrue("the first request scores new pairs", misses1 > misses0);
        assertEquals("the model scores the misses", misses1 - misses0, scored1 - scored0);
        // Another filter and page size: no queryResultCache hit, every pair from the pair cache.
        List<Hit> second = hits(distributed("id,score", q, rq, hits + 5));
        assertEquals("every pair a cache hit", hits1 + pairs, CloudShards.metricSum(cluster, PIPE, "pairCache.hits"));
        assertEquals(misses1, CloudShards.metricSum(cluster, PIPE, "pairCache.misses"));
        assertEquals("no new pairs scored", scored1, CloudShards.metricSum(cluster, PIPE, "pairs"));
        assertBitIdentical(first, second);
        // Without the cache the model scores every pair again, to the same bits.
        List<Hit> uncached =
                hits(distributed("id,score", q, "{!jarerank model=raw reRankDocs=100 reRankCache=false}", hits));
        assertEquals(scored1 + pairs, CloudShards.metricSum(cluster, PIPE, "pairs"));
        assertBitIdentical(first, uncached);
    }

    private static void assertBitIdentical(List<Hit> expected, List<Hit> actual) {
        assertEquals(ids(expected), ids(actual));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(
                    "bit-identical score of " + actual.get(i),
                    Float.floatToIntBits(expected.get(i).score()),
                    Float.floatToIntBits(actual.get(i).score()));
        }
    }

    @Test
    public void testCascadeOrdersEachShardLikeTwoEnginesAndExplainsBothStages() throws Exception {
        String q = WIDE;
        int window = 8;
        int thenDocs = 6;
        Map<String, List<Hit>> fp = shardFirstPass(q);
        QueryResponse rsp = distributed(
                FL,
                q,
                "{!jarerank model=ja reRankDocs=" + window + " then=short thenDocs=" + thenDocs + "}",
                200,
                "debugQuery",
                "true");
        List<Hit> got = hits(rsp);
        boolean stage2Reorders = false;
        for (Map.Entry<String, List<Hit>> shard : fp.entrySet()) {
            List<String> fpIds = ids(shard.getValue());
            assertTrue(shard.getKey() + " needs hits past the window: " + fpIds, fpIds.size() > window);
            Map<String, Float> s1 = new HashMap<>();
            Map<String, Float> s2 = new HashMap<>();
            List<String> want =
                    CascadeRerankTest.cascadeOrder(ja, shortModel, q, fpIds, window, thenDocs, docs, s1, s2);
            List<Hit> mine = ofShard(got, shard.getValue());
            assertEquals(shard.getKey(), want, ids(mine));
            List<String> byStage1 = new ArrayList<>(want.subList(0, thenDocs));
            byStage1.sort(Comparator.comparingDouble(id -> -s1.get(id)));
            stage2Reorders |= !byStage1.equals(want.subList(0, thenDocs));
            float highestStage1 = s1.values().stream().max(Float::compare).orElseThrow();
            float lowestStage2 = s2.values().stream().min(Float::compare).orElseThrow();
            for (int r = 0; r < mine.size(); r++) {
                Hit h = mine.get(r);
                String explain = String.valueOf(rsp.getExplainMap().get(h.id()));
                if (r < thenDocs) {
                    assertEquals(h.toString(), s2.get(h.id()), h.modelScore(), 1e-4f);
                    assertEquals(h.toString(), s2.get(h.id()) - lowestStage2 + highestStage1 + 1f, h.score(), 1e-4f);
                    assertTrue(explain, explain.contains("stage 2, model 'short'"));
                    assertTrue(explain, explain.contains("stage 1: jarerank: model 'ja'"));
                } else if (r < window) {
                    assertEquals(h.toString(), s1.get(h.id()), h.modelScore(), 1e-4f);
                    assertEquals(h.toString(), s1.get(h.id()), h.score(), 1e-4f);
                    assertTrue(explain, explain.contains("stage 1 only"));
                } else {
                    assertNull(h.toString(), h.modelScore());
                    assertTrue("the first-pass tail stays below: " + h, h.score() < 0f);
                }
            }
            assertTrue(
                    "stage-2 hits at least 1 above the shard's stage-1-only hits: " + mine,
                    mine.get(thenDocs - 1).score() > mine.get(thenDocs).score() + 0.99f);
        }
        assertTrue("stage 2 changes the order of a shard's head", stage2Reorders);
    }
}
