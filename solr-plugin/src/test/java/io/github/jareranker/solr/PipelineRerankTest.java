package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rerank-pipeline features over HTTP on a standalone Solr (one core from the example configset
 * plus a {@code raw} model, whose logits are negative as often as positive): fusion operators, skip
 * rules, the pair budget, telemetry. Expected values are computed here from the engine's scores and
 * the first pass, independently of the plugin's code.
 */
@SolrTestCaseJ4.SuppressSSL
public class PipelineRerankTest extends SolrTestCaseJ4 {
    static final String CORE = "pipe";
    /** The same with a pair-score cache of 1000 entries per model. */
    static final String CACHED = "cached";

    private static StandaloneSolr solr;
    private static SolrClient client;
    private static CrossEncoder rawReference;
    private static Map<String, Map<String, String>> docs;

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        solr = StandaloneSolr.start(
                createTempDir("solr-home"), Map.of(CORE, PipelineRerankTest::pipelineConf, CACHED, conf -> {
                    Path solrconfig = pipelineConf(conf).resolve("solrconfig.xml");
                    Files.writeString(
                            solrconfig, Files.readString(solrconfig).replace(RerankTestSupport.PAIR_CACHE_OFF, "1000"));
                }));
        client = solr.client();
        List<Map<String, String>> sample = RerankTestSupport.sampleDocs();
        docs = RerankTestSupport.byId(sample);
        for (String core : List.of(CORE, CACHED)) {
            client.add(core, RerankTestSupport.inputDocs(sample));
            client.commit(core);
        }
        rawReference = loadRawReference();
    }

    /**
     * The test configset plus a model {@code raw} (logits) and the pipeline settings: a skip pattern for
     * product codes such as {@code AB-1234}.
     */
    static Path pipelineConf(Path conf) throws Exception {
        RerankTestSupport.testConf(conf);
        Path solrconfig = conf.resolve("solrconfig.xml");
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8);
        String raw = "<lst name=\"models\">\n"
                + "      <lst name=\"raw\">\n"
                + "        <str name=\"modelDirectory\">${" + RerankTestSupport.MODEL_DIR_PROP + "}</str>\n"
                + "        <int name=\"maxLength\">512</int>\n"
                + "        <int name=\"workers\">1</int>\n"
                + "        <str name=\"activation\">raw</str>\n"
                + "      </lst>\n";
        String settings = "<str name=\"skipQueryPattern\">[A-Z]{2}-[0-9]{4}</str>\n    <lst name=\"models\">";
        xml = xml.replaceFirst("<lst name=\"models\">", settings).replace("<lst name=\"models\">", raw);
        Files.writeString(solrconfig, xml, StandardCharsets.UTF_8);
        return conf;
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (solr != null) {
            solr.close(); // also clears the model properties
        }
        if (rawReference != null) {
            rawReference.close();
        }
        solr = null;
        client = null;
        rawReference = null;
        docs = null;
    }

    private static List<Hit> firstPass(String q) throws Exception {
        return hits(query(client, CORE, "/select", "q", q, "fl", "id,score", "rows", "200"));
    }

    private static QueryResponse search(String q, String rq, int rows, String... more) throws Exception {
        List<String> kv = new ArrayList<>(
                List.of("q", q, "rq", rq, "rows", String.valueOf(rows), "fl", "id,score,originalScore(),[jarerank]"));
        kv.addAll(List.of(more));
        return query(client, CORE, "/search", kv.toArray(new String[0]));
    }

    /** The raw model's logit for each of {@code ids}, scored here with the engine. */
    private static float[] logits(String q, List<String> ids) {
        return logits(rawReference, docs, q, ids);
    }

    /** {@code engine}'s score of (q, title + " " + body) for each of {@code ids}. */
    static float[] logits(CrossEncoder engine, Map<String, Map<String, String>> docs, String q, List<String> ids) {
        List<String> texts = new ArrayList<>();
        for (String id : ids) {
            texts.add(docs.get(id).get("title") + " " + docs.get(id).get("body"));
        }
        return engine.score(q, texts).scores();
    }

    /** The loaded model {@code raw} of {@link #pipelineConf} (logits), for expected values. */
    static CrossEncoder loadRawReference() throws Exception {
        return CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .intraOpThreads(1)
                .maxLength(512)
                .activation(Activation.RAW)
                .build());
    }

    /**
     * RRF of a window computed here: hit {@code i} (first-pass rank i + 1) scores {@code 1/(k + i + 1) + 1/(k +
     * modelRank)}, model ranks by {@code logit} descending, ties in first-pass order.
     */
    static double[] rrf(float[] logit, int k) {
        int window = logit.length;
        double[] expected = new double[window];
        for (int i = 0; i < window; i++) {
            int modelRank = 1;
            for (int j = 0; j < window; j++) {
                if (logit[j] > logit[i] || (logit[j] == logit[i] && j < i)) {
                    modelRank++;
                }
            }
            expected[i] = 1.0 / (k + i + 1) + 1.0 / (k + modelRank);
        }
        return expected;
    }

    /**
     * minmax of a window computed here: {@code norm(firstPass) + w * norm(logit)}, {@code norm(x) = (x - min)/(max -
     * min)} over the window.
     */
    static double[] minmax(float[] firstPass, float[] logit, float w) {
        double fMin = Double.MAX_VALUE, fMax = -Double.MAX_VALUE, mMin = Double.MAX_VALUE, mMax = -Double.MAX_VALUE;
        for (int i = 0; i < logit.length; i++) {
            fMin = Math.min(fMin, firstPass[i]);
            fMax = Math.max(fMax, firstPass[i]);
            mMin = Math.min(mMin, logit[i]);
            mMax = Math.max(mMax, logit[i]);
        }
        double[] out = new double[logit.length];
        for (int i = 0; i < logit.length; i++) {
            out[i] = (firstPass[i] - fMin) / (fMax - fMin) + w * (logit[i] - mMin) / (mMax - mMin);
        }
        return out;
    }

    /** The returned scores of {@code hits}. */
    static float[] scores(List<Hit> hits) {
        float[] out = new float[hits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = hits.get(i).score();
        }
        return out;
    }

    /** Window positions by fused score (as a float, as returned) descending, ties in first-pass order. */
    static List<Integer> fusedOrder(double[] fused) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fused.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> (float) fused[a] != (float) fused[b]
                ? Float.compare((float) fused[b], (float) fused[a])
                : Integer.compare(a, b));
        return order;
    }

    /** Kendall tau of {@code window} (in first-pass order) against its order in {@code got}, from pair counts. */
    static float kendallTau(List<String> window, List<String> got) {
        int concordant = 0, discordant = 0, n = window.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (got.indexOf(window.get(i)) < got.indexOf(window.get(j))) {
                    concordant++;
                } else {
                    discordant++;
                }
            }
        }
        return (concordant - discordant) / (float) (n * (n - 1) / 2);
    }

    private static void assertNonIncreasing(List<Hit> hits) {
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(
                    "scores never increase down the list: " + hits,
                    hits.get(i).score() <= hits.get(i - 1).score());
        }
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testRrfFusesRanksInsideTheWindowWithNegativeLogits() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        List<String> fp = ids(firstPass(q));
        int window = 8;
        assertTrue("need hits past the window, got " + fp.size(), fp.size() > window + 2);
        float[] logit = logits(q, fp.subList(0, window));
        boolean negative = false;
        for (float l : logit) {
            negative |= l < 0;
        }
        assertTrue("the raw model gives negative logits in this window: " + java.util.Arrays.toString(logit), negative);
        for (int k : new int[] {60, 2}) {
            List<Hit> got = hits(search(
                    q, "{!jarerank model=raw reRankOperator=rrf reRankDocs=" + window + " reRankRrfK=" + k + "}", 50));
            // Expected: RRF computed here from first-pass positions and the engine's logits.
            double[] expected = rrf(logit, k);
            List<Integer> order = fusedOrder(expected);
            List<String> expectedIds = new ArrayList<>();
            order.forEach(i -> expectedIds.add(fp.get(i)));
            expectedIds.addAll(fp.subList(window, fp.size()));
            assertEquals("rrf order, k=" + k, expectedIds, ids(got));
            for (int r = 0; r < window; r++) {
                assertEquals((float) expected[order.get(r)], got.get(r).score(), 1e-7f);
                assertEquals(logit[order.get(r)], got.get(r).modelScore(), 1e-4f);
            }
            assertNonIncreasing(got);
            for (Hit tail : got.subList(window, got.size())) {
                assertTrue("the first-pass tail stays below the window: " + tail, tail.score() < 0f);
            }
        }
    }

    @Test
    public void testMinmaxNormalizesBothScoresInsideTheWindow() throws Exception {
        String q = "図書館で本を予約したい";
        List<Hit> fpHits = firstPass(q);
        List<String> fp = ids(fpHits);
        int window = Math.min(6, fp.size());
        assertTrue(fp.size() > window);
        float[] logit = logits(q, fp.subList(0, window));
        float w = 0.5f;
        List<Hit> got = hits(search(
                q, "{!jarerank model=raw reRankOperator=minmax reRankWeight=" + w + " reRankDocs=" + window + "}", 50));
        double[] fused = minmax(scores(fpHits.subList(0, window)), logit, w);
        for (int r = 0; r < window; r++) {
            Hit h = got.get(r);
            int i = fp.indexOf(h.id());
            assertTrue("reranked hits come from the window: " + h, i >= 0 && i < window);
            assertEquals("minmax score of " + h, fused[i], h.score(), 1e-5);
        }
        assertNonIncreasing(got);
        assertEquals(fp.subList(window, fp.size()), ids(got.subList(window, got.size())));
        // Explain states the normalization of both sides.
        QueryResponse rsp = search(
                q,
                "{!jarerank model=raw reRankOperator=minmax reRankWeight=" + w + " reRankDocs=" + window + "}",
                3,
                "debugQuery",
                "true");
        String explain = String.valueOf(rsp.getExplainMap().get(got.get(0).id()));
        assertTrue(explain, explain.contains("minmax(firstPass) + 0.5 * minmax(model)"));
        assertTrue(explain, explain.contains("normalized over"));
    }

    @Test
    public void testFusionParametersAreValidated() throws Exception {
        String[][] cases = {
            {"{!jarerank reRankOperator=rrf reRankRrfK=-1}", "reRankRrfK"},
            {"{!jarerank reRankOperator=rrf reRankRrfK=abc}", "reRankRrfK"},
            {"{!jarerank reRankOperator=fusion}", "reRankOperator"},
        };
        RerankTestSupport.assertEachIs400Naming(cases, rq -> search("ごみ", rq, 10));
    }

    /** The {@code responseHeader.jarerank} section, or null. */
    private static NamedList<?> header(QueryResponse rsp) {
        return (NamedList<?>) rsp.getResponseHeader().get(RerankHeader.KEY);
    }

    private static long count(String name) throws Exception {
        return count(CORE, name);
    }

    private static long count(String core, String name) throws Exception {
        return solr.metric(core, name);
    }

    private static void assertSkipped(QueryResponse rsp, List<Hit> expectedFirstPass, String reason) throws Exception {
        assertEquals(reason, header(rsp).get("skipped"));
        assertNull("a skip is not a partial result", rsp.getResponseHeader().get("partialResults"));
        List<Hit> got = hits(rsp);
        assertEquals("first-pass order", ids(expectedFirstPass), ids(got));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(
                    "first-pass score",
                    expectedFirstPass.get(i).score(),
                    got.get(i).score(),
                    1e-5f);
            assertNull("no model score when skipped", got.get(i).modelScore());
        }
    }

    @Test
    public void testSkipRulesAnswerInFirstPassOrderFlaggedAndCounted() throws Exception {
        // Match-all and pure filter queries without reRankText.
        long matchAll = count("skipped.matchAll");
        long requests = count("requests");
        for (String q : List.of("*:*", "*:* -id:nope", "(body:ごみ)^=1")) {
            List<Hit> fp =
                    hits(query(client, CORE, "/select", "q", q, "defType", "lucene", "fl", "id,score", "rows", "100"));
            assertTrue(q, fp.size() > 1);
            assertSkipped(search(q, "{!jarerank reRankDocs=20}", 100, "defType", "lucene"), fp, "matchAll");
        }
        assertEquals(matchAll + 3, count("skipped.matchAll"));
        assertEquals("the model did not run", requests, count("requests"));
        // The same match-all query with a text for the model is reranked (the client asked for it).
        QueryResponse withText = search("*:*", "{!jarerank reRankDocs=5 reRankText=図書館}", 5, "defType", "lucene");
        assertNull(header(withText) == null ? null : header(withText).get("skipped"));
        assertNotNull(hits(withText).get(0).modelScore());

        // A model text that matches skipQueryPattern ([A-Z]{2}-[0-9]{4}): a product code.
        long pattern = count("skipped.queryPattern");
        String q = "ごみの出し方";
        assertSkipped(search(q, "{!jarerank reRankDocs=20 reRankText=AB-1234}", 100), firstPass(q), "queryPattern");
        assertEquals(pattern + 1, count("skipped.queryPattern"));
        QueryResponse near = search(q, "{!jarerank reRankDocs=20 reRankText='AB-1234 の説明'}", 3);
        assertNotNull("the pattern must match the whole text", hits(near).get(0).modelScore());

        // numFound = 1: nothing to reorder.
        long few = count("skipped.fewHits");
        List<Hit> one = hits(query(client, CORE, "/select", "q", "id:gomi-02", "defType", "lucene", "fl", "id,score"));
        assertEquals(1, one.size());
        QueryResponse single = search("id:gomi-02", "{!jarerank reRankText=ごみ}", 10, "defType", "lucene");
        assertSkipped(single, one, "fewHits");
        assertEquals(few + 1, count("skipped.fewHits"));
        // Explain says why.
        QueryResponse explained = search("*:*", "{!jarerank}", 2, "defType", "lucene", "debugQuery", "true");
        String e = String.valueOf(explained.getExplainMap().values().iterator().next());
        assertTrue(e, e.contains("model skipped: the query is match-all"));
    }

    @Test
    public void testMaxPairsRerankTheHeadAndKeepTheRestOfTheWindowBelowInFirstPassOrder() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        List<String> fp = ids(firstPass(q));
        assertTrue(fp.size() > 12);
        long limited = count("budgetLimited");
        long pairs = count("pairs");
        QueryResponse rsp = search(q, "{!jarerank model=raw reRankDocs=10 maxPairs=4}", 20);
        List<Hit> got = hits(rsp);
        // The head (first-pass top 4) in the engine's order, then first-pass order from rank 5 on.
        float[] logit = logits(q, fp.subList(0, 4));
        List<Integer> head = new ArrayList<>(List.of(0, 1, 2, 3));
        head.sort((a, b) -> logit[a] != logit[b] ? Float.compare(logit[b], logit[a]) : Integer.compare(a, b));
        List<String> expected = new ArrayList<>();
        head.forEach(i -> expected.add(fp.get(i)));
        expected.addAll(fp.subList(4, 20));
        assertEquals(expected, ids(got));
        assertNonIncreasing(got);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(
                    "only the head has model scores: " + got.get(i),
                    i < 4,
                    got.get(i).modelScore() != null);
        }
        assertEquals(Boolean.TRUE, header(rsp).get("budgetLimited"));
        assertEquals(4, ((Number) header(rsp).get("pairsScored")).intValue());
        assertEquals(limited + 1, count("budgetLimited"));
        assertEquals(pairs + 4, count("pairs"));
        // A budget above the window changes nothing and is not flagged.
        QueryResponse roomy = search(q, "{!jarerank model=raw reRankDocs=4 maxPairs=50}", 4);
        assertEquals(ids(got.subList(0, 4)), ids(hits(roomy)));
        assertNull(header(roomy) == null ? null : header(roomy).get("budgetLimited"));
        for (String bad : List.of("-1", "many")) {
            SolrException ex =
                    expectThrows(SolrException.class, () -> search(q, "{!jarerank maxPairs=" + bad + "}", 3));
            assertEquals(400, ex.code());
            assertTrue(ex.getMessage(), ex.getMessage().contains("maxPairs"));
        }
    }

    @Test
    public void testTelemetryEchoesCutoffDisplacementAndKendallTau() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        List<Hit> fpHits = firstPass(q);
        List<String> fp = ids(fpHits);
        int window = 14;
        assertTrue(fp.size() > window);
        long histogramCount = histogramCount("displacedTop10");
        QueryResponse rsp = search(q, "{!jarerank model=raw reRankDocs=" + window + "}", window);
        List<String> got = ids(hits(rsp));
        NamedList<?> h = header(rsp);
        assertEquals(
                "first-pass score of the last hit of the window",
                fpHits.get(window - 1).score(),
                ((Number) h.get("reRankCutoff")).floatValue(),
                1e-5f);
        int displaced = 0;
        for (String id : got.subList(0, 10)) {
            if (fp.indexOf(id) >= 10) {
                displaced++;
            }
        }
        assertEquals(displaced, ((Number) h.get("displacedTop10")).intValue());
        // Kendall tau from pair counts: every pair of the window, in first-pass order.
        float tau = kendallTau(fp.subList(0, window), got);
        assertEquals(tau, ((Number) h.get("kendallTau")).floatValue(), 1e-6f);
        assertTrue("the random model reorders the window: " + tau, tau < 1f);
        assertEquals(histogramCount + 1, histogramCount("displacedTop10"));
        assertTrue(histogramCount("kendallTauPermille") > 0);
    }

    private static QueryResponse cached(String q, String rq, String... more) throws Exception {
        List<String> kv = new ArrayList<>(List.of("q", q, "rq", rq, "fl", "id,score,[jarerank]", "rows", "100"));
        kv.addAll(List.of(more));
        return query(client, CACHED, "/search", kv.toArray(new String[0]));
    }

    @Test
    public void testPairCacheServesIdenticalScoresAcrossFiltersPagesAndReloadsButNeverForChangedText()
            throws Exception {
        String q = "粗大ごみの申し込み方法";
        List<String> fp = ids(hits(query(client, CACHED, "/select", "q", q, "fl", "id,score", "rows", "200")));
        int n = fp.size();
        assertTrue(n > 3);
        String rq = "{!jarerank model=raw reRankDocs=100}";
        long hits = count(CACHED, "pairCache.hits");
        long misses = count(CACHED, "pairCache.misses");
        long pairs = count(CACHED, "pairs");
        List<Hit> first = hits(cached(q, rq));
        assertEquals(misses + n, count(CACHED, "pairCache.misses"));
        assertEquals(pairs + n, count(CACHED, "pairs"));
        // A different filter (no queryResultCache hit) and page 2: every pair from the cache, the model idle.
        List<Hit> again = hits(cached(q, rq, "fq", "*:* -id:none-1"));
        assertEquals(hits + n, count(CACHED, "pairCache.hits"));
        assertEquals("the model did not run", pairs + n, count(CACHED, "pairs"));
        assertEquals(ids(first), ids(again));
        for (int i = 0; i < n; i++) {
            assertEquals(
                    "bit-identical score",
                    Float.floatToIntBits(first.get(i).score()),
                    Float.floatToIntBits(again.get(i).score()));
            assertEquals(
                    Float.floatToIntBits(first.get(i).modelScore()),
                    Float.floatToIntBits(again.get(i).modelScore()));
        }
        List<Hit> page2 = hits(query(
                client,
                CACHED,
                "/search",
                "q",
                q,
                "rq",
                rq,
                "fl",
                "id,score",
                "start",
                "2",
                "rows",
                "2",
                "fq",
                "*:* -id:none-2"));
        assertEquals(ids(first.subList(2, 4)), ids(page2));
        assertEquals("the model did not run for page 2", pairs + n, count(CACHED, "pairs"));
        // The same computed without the cache (reRankCache=false) is bit-identical too.
        List<Hit> uncached = hits(cached(q, "{!jarerank model=raw reRankDocs=100 reRankCache=false}"));
        assertEquals(pairs + 2L * n, count(CACHED, "pairs"));
        for (int i = 0; i < n; i++) {
            assertEquals(
                    Float.floatToIntBits(first.get(i).modelScore()),
                    Float.floatToIntBits(uncached.get(i).modelScore()));
        }
        // A core reload keeps the cache (it is JVM-wide per model).
        org.apache.solr.client.solrj.request.CoreAdminRequest.reloadCore(CACHED, client);
        long missesBeforeReload = count(CACHED, "pairCache.misses");
        long hitsAfterReload = count(CACHED, "pairCache.hits");
        cached(q, rq, "fq", "*:* -id:none-3");
        assertEquals("all hits after the reload", hitsAfterReload + n, count(CACHED, "pairCache.hits"));
        assertEquals(missesBeforeReload, count(CACHED, "pairCache.misses"));
        // A document whose text changed is scored again, never served its old score.
        String changed = first.get(0).id();
        Map<String, String> doc = new java.util.LinkedHashMap<>(docs.get(changed));
        doc.put("body", doc.get("body") + " 受付は平日のみです。");
        client.add(CACHED, RerankTestSupport.inputDocs(List.of(doc)));
        client.commit(CACHED);
        long m = count(CACHED, "pairCache.misses");
        List<Hit> afterEdit = hits(cached(q, rq));
        assertEquals("only the changed document misses", m + 1, count(CACHED, "pairCache.misses"));
        float expected = rawReference
                .score(q, List.of(doc.get("title") + " " + doc.get("body")))
                .score(0);
        for (Hit h : afterEdit) {
            if (h.id().equals(changed)) {
                assertEquals("the new text's score", expected, h.modelScore(), 1e-4f);
                assertTrue(Float.floatToIntBits(first.get(0).modelScore()) != Float.floatToIntBits(h.modelScore()));
            }
        }
        assertTrue(solr.metric(CACHED, "pairCache.evictions") >= 0);
        SolrException e = expectThrows(SolrException.class, () -> cached(q, "{!jarerank reRankCache=maybe}"));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("reRankCache"));
    }

    private static long histogramCount(String name) throws Exception {
        return solr.metric(CORE, name);
    }
}
