package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.expectedOrder;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.CombineOperator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.Query;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrCore;
import org.apache.solr.request.LocalSolrQueryRequest;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The plugin in a standalone Solr (Jetty, two cores from the example configset) queried over HTTP
 * with SolrJ. Expected orders and scores come from the engine itself, loaded here directly.
 */
@SolrTestCaseJ4.SuppressSSL
public class StandaloneRerankTest extends SolrTestCaseJ4 {
    private static StandaloneSolr solr;
    private static SolrClient client;
    private static CrossEncoder reference;
    private static Map<String, Map<String, String>> docs;
    private static Path solrHome;

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        solrHome = createTempDir("solr-home");
        solr = StandaloneSolr.start(solrHome, "site", "site2");
        client = solr.client();
        List<Map<String, String>> sample = RerankTestSupport.sampleDocs();
        docs = RerankTestSupport.byId(sample);
        for (String core : List.of("site", "site2")) {
            client.add(core, RerankTestSupport.inputDocs(sample));
            client.commit(core);
        }
        reference = RerankTestSupport.loadReferenceModel();
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (reference != null) {
            reference.close();
        }
        if (solr != null) {
            solr.close();
        }
        solr = null;
        client = null;
        reference = null;
        docs = null;
    }

    /** First-pass (BM25, edismax over title^2 body) ids and scores, all matches. */
    private static List<Hit> firstPass(String q) throws Exception {
        return hits(query(client, "site", "/select", "q", q, "fl", "id,score", "rows", "200"));
    }

    private static List<Hit> rerank(String core, String q, String rq, int start, int rows) throws Exception {
        return hits(query(
                client,
                core,
                "/search",
                "q",
                q,
                "rq",
                rq,
                "start",
                String.valueOf(start),
                "rows",
                String.valueOf(rows),
                "fl",
                "id,score,originalScore(),[jarerank]"));
    }

    private static void assertNonIncreasing(List<Hit> hits) {
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(
                    "scores must never increase down the list: " + hits,
                    hits.get(i).score() <= hits.get(i - 1).score());
        }
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testRerankedOrderEqualsEngineScores() throws Exception {
        for (String q : List.of("ごみの出し方", "図書館で本を予約したい", "子どもの健康診査はいつ")) {
            List<Hit> fp = firstPass(q);
            assertTrue("query should match several docs: " + q, fp.size() >= 3);
            Map<String, Float> model = new HashMap<>();
            List<String> expected = expectedOrder(reference, q, ids(fp), 100, docs, model);
            List<Hit> got = rerank("site", q, "{!jarerank reRankDocs=100}", 0, 100);
            assertEquals("reranked order for " + q, expected, ids(got));
            assertNonIncreasing(got);
            Map<String, Float> bm25 = new HashMap<>();
            fp.forEach(h -> bm25.put(h.id(), h.score()));
            for (Hit h : got) {
                assertEquals("score = 1.0 * model score for " + h, model.get(h.id()), h.score(), 1e-4f);
                assertEquals("[jarerank] = model score for " + h, model.get(h.id()), h.modelScore(), 1e-4f);
                assertEquals("originalScore() = first-pass score for " + h, bm25.get(h.id()), h.originalScore(), 1e-4f);
            }
        }
    }

    @Test
    public void testEscapedTrailingSpacesOfQAreNotPartOfTheModelText() throws Exception {
        // What SolrJ's ClientUtils.escapeQueryChars makes of a question with trailing spaces.
        String text = "ごみの出し方";
        String q = text + "\\ \\ \\ ";
        List<Hit> fp = firstPass(q);
        Map<String, Float> model = new HashMap<>();
        List<String> expected = expectedOrder(reference, text, ids(fp), 100, docs, model);
        List<Hit> got = rerank("site", q, "{!jarerank reRankDocs=100}", 0, 100);
        assertEquals(expected, ids(got));
        for (Hit h : got) {
            assertEquals(
                    "[jarerank] = model score of the unescaped, trimmed text for " + h,
                    model.get(h.id()),
                    h.modelScore(),
                    1e-4f);
        }
    }

    @Test
    public void testPaginationInsideAndPastReRankDocs() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        List<Hit> fp = firstPass(q);
        assertTrue("need more matches than reRankDocs, got " + fp.size(), fp.size() >= 12);
        int reRankDocs = 5;
        String rq = "{!jarerank reRankDocs=" + reRankDocs + "}";
        Map<String, Float> model = new HashMap<>();
        List<String> expected = expectedOrder(reference, q, ids(fp), reRankDocs, docs, model);
        List<Hit> all = rerank("site", q, rq, 0, fp.size());
        assertEquals(expected, ids(all));
        assertNonIncreasing(all);
        for (int i = 0; i < all.size(); i++) {
            Hit h = all.get(i);
            if (i < reRankDocs) {
                assertTrue("reranked hits score above 0: " + h, h.score() >= 0f);
                assertNotNull("reranked hits have a model score: " + h, h.modelScore());
            } else {
                assertTrue("hits past reRankDocs score below every reranked hit: " + h, h.score() < 0f);
                assertNull("hits past reRankDocs have no model score: " + h, h.modelScore());
                assertEquals(
                        "hits past reRankDocs keep their first-pass score as originalScore()",
                        fp.get(i).score(),
                        h.originalScore(),
                        1e-4f);
                assertEquals(TailScores.squash(fp.get(i).score()), h.score(), 1e-6f);
            }
        }
        int[][] pages = {{0, 3}, {3, 4}, {4, 2}, {6, 5}, {10, 5}};
        for (int[] page : pages) {
            List<Hit> got = rerank("site", q, rq, page[0], page[1]);
            int end = Math.min(all.size(), page[0] + page[1]);
            assertEquals("page start=" + page[0] + " rows=" + page[1], ids(all.subList(page[0], end)), ids(got));
            for (int i = 0; i < got.size(); i++) {
                assertEquals(all.get(page[0] + i).score(), got.get(i).score(), 1e-6f);
            }
        }
    }

    @Test
    public void testAddAndMultiplyCombineScoresAndKeepTailBelow() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        List<Hit> fp = firstPass(q);
        Map<String, Float> bm25 = new HashMap<>();
        fp.forEach(h -> bm25.put(h.id(), h.score()));
        int reRankDocs = 6;
        for (CombineOperator op : List.of(CombineOperator.ADD, CombineOperator.MULTIPLY)) {
            float w = 3f;
            String rq = "{!jarerank reRankDocs=" + reRankDocs + " reRankOperator="
                    + op.name().toLowerCase() + " reRankWeight=" + w + "}";
            List<Hit> got = rerank("site", q, rq, 0, fp.size());
            assertNonIncreasing(got);
            float lowestReranked = Float.POSITIVE_INFINITY;
            for (int i = 0; i < reRankDocs; i++) {
                Hit h = got.get(i);
                assertEquals(
                        op + " combines first pass and model: " + h,
                        op.combine(bm25.get(h.id()), h.modelScore(), w),
                        h.score(),
                        1e-3f);
                lowestReranked = Math.min(lowestReranked, h.score());
            }
            List<String> tail = ids(got.subList(reRankDocs, got.size()));
            assertEquals("tail keeps first-pass order", ids(fp.subList(reRankDocs, fp.size())), tail);
            for (Hit h : got.subList(reRankDocs, got.size())) {
                assertTrue(h.score() < lowestReranked);
            }
        }
    }

    @Test
    public void testExplainShowsModelAndFirstPassScores() throws Exception {
        String q = "ごみの出し方";
        QueryResponse rsp = query(
                client,
                "site",
                "/search",
                "q",
                q,
                "rq",
                "{!jarerank reRankDocs=2}",
                "rows",
                "4",
                "fl",
                "id,score,originalScore(),[jarerank]",
                "debugQuery",
                "true");
        List<Hit> got = hits(rsp);
        assertTrue(got.size() >= 3);
        Map<String, Object> explain = rsp.getExplainMap();
        for (int i = 0; i < got.size(); i++) {
            Hit h = got.get(i);
            String text = String.valueOf(explain.get(h.id()));
            assertTrue(text, text.startsWith(String.valueOf(h.score())) || text.contains(h.score() + " = "));
            assertTrue(text, text.contains("first pass score"));
            if (i < 2) {
                assertTrue(text, text.contains("jarerank: model 'ja'"));
                assertTrue(text, text.contains("1.0 * model"));
                assertTrue(text, text.contains(String.valueOf(h.modelScore())));
                assertTrue(text, text.contains("model logit"));
            } else {
                assertTrue(text, text.contains("not reranked"));
            }
        }
    }

    /** Solr's queryResultCache counters of a core (cumulative over searchers). */
    private static long[] resultCache(String core) throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("group", "core");
        p.set("prefix", "CACHE.searcher.queryResultCache");
        p.set("wt", "javabin");
        NamedList<Object> rsp =
                client.request(new GenericSolrRequest(GenericSolrRequest.METHOD.GET, "/admin/metrics", p));
        Object stats = rsp._get(List.of("metrics", "solr.core." + core, "CACHE.searcher.queryResultCache"), null);
        assertNotNull("no queryResultCache metrics for " + core + ": " + rsp, stats);
        Map<?, ?> m = stats instanceof NamedList ? ((NamedList<?>) stats).asShallowMap() : (Map<?, ?>) stats;
        return new long[] {
            ((Number) m.get("cumulative_lookups")).longValue(),
            ((Number) m.get("cumulative_hits")).longValue(),
            ((Number) m.get("cumulative_inserts")).longValue()
        };
    }

    @Test
    public void testQueryResultCacheServesPlainRerankAndIsBypassedForModelScoresAndDebug() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        int reRankDocs = 9; // no other test reranks q with 9 docs, so the first request below is a miss
        String rq = "{!jarerank reRankDocs=" + reRankDocs + "}";
        List<Hit> fp = firstPass(q);
        assertTrue("query should match more than reRankDocs docs: " + fp.size(), fp.size() > reRankDocs);
        Map<String, Float> model = new HashMap<>();
        List<String> expected = expectedOrder(reference, q, ids(fp), reRankDocs, docs, model);

        long[] c0 = resultCache("site");
        long rescorings0 = solr.metric("site", "requests");
        List<Hit> first = hits(query(client, "site", "/search", "q", q, "rq", rq, "fl", "id,score"));
        long[] c1 = resultCache("site");
        assertEquals(expected.subList(0, first.size()), ids(first));
        assertEquals("first request: one lookup", c0[0] + 1, c1[0]);
        assertEquals("first request: a miss", c0[1], c1[1]);
        assertEquals("first request: its hit list is cached", c0[2] + 1, c1[2]);
        assertEquals("first request rescores", rescorings0 + 1, solr.metric("site", "requests"));

        List<Hit> again = hits(query(client, "site", "/search", "q", q, "rq", rq, "fl", "id,score"));
        long[] c2 = resultCache("site");
        assertEquals(ids(first), ids(again));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).score(), again.get(i).score(), 0f);
        }
        assertEquals("the same request is a cache hit", c1[1] + 1, c2[1]);
        assertEquals(c1[2], c2[2]);
        assertEquals("a cache hit does not rescore", rescorings0 + 1, solr.metric("site", "requests"));

        String[][] bypassing = {
            {"fl", "id,score,[jarerank]"},
            {"fl", "id,score,[" + RerankTestSupport.OTHER_TRANSFORMER_NAME + "]"},
            {"fl", "id,score,mine:[" + RerankTestSupport.OTHER_TRANSFORMER_NAME + "]"},
            {"fl", "id,score", "debugQuery", "true"},
            {"fl", "id,score", "debug", "results"},
        };
        for (String[] extra : bypassing) {
            long[] before = resultCache("site");
            long rescorings = solr.metric("site", "requests");
            List<String> kv = new java.util.ArrayList<>(List.of("q", q, "rq", rq));
            kv.addAll(List.of(extra));
            QueryResponse rsp = query(client, "site", "/search", kv.toArray(new String[0]));
            long[] after = resultCache("site");
            String what = String.join(" ", extra);
            assertEquals(what + " does not look in the cache", before[0], after[0]);
            assertEquals(what + " does not fill the cache", before[2], after[2]);
            assertEquals(what + " rescores", rescorings + 1, solr.metric("site", "requests"));
            List<Hit> got = hits(rsp);
            assertEquals(what, ids(first), ids(got));
            if (extra[1].contains("[")) {
                String name = extra[1].substring("id,score,".length());
                name = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
                for (int i = 0; i < rsp.getResults().size(); i++) {
                    Object v = rsp.getResults().get(i).getFieldValue(name);
                    String id = got.get(i).id();
                    if (i < reRankDocs) {
                        assertNotNull(what + ": model score of " + id, v);
                        assertEquals(what + ": model score of " + id, model.get(id), ((Number) v).floatValue(), 1e-4f);
                    } else {
                        assertNull(what + ": no model score past reRankDocs for " + id, v);
                    }
                }
            }
        }
    }

    /** The value an explanation (Solr's text form, "VALUE = description ...") starts with. */
    static float explainedValue(Object explanation) {
        String text = String.valueOf(explanation).trim();
        return Float.parseFloat(text.substring(0, text.indexOf(' ')));
    }

    /**
     * {@code fl=[explain]} is handed the main query, not the rank query (Solr's ExplainAugmenter), so it
     * explains the first pass, cached or not; debug explain bypasses the cache and explains what was
     * returned.
     */
    @Test
    public void testExplainTransformerExplainsTheFirstPassAndDebugTheReturnedScores() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        int reRankDocs = 4; // no other test reranks q with 4 docs
        String rq = "{!jarerank reRankDocs=" + reRankDocs + "}";
        List<Hit> fp = firstPass(q);
        assertTrue(fp.size() > reRankDocs + 2);
        List<Hit> plain = hits(query(client, "site", "/search", "q", q, "rq", rq, "rows", "10", "fl", "id,score"));
        long[] before = resultCache("site");
        QueryResponse rsp = query(
                client,
                "site",
                "/search",
                "q",
                q,
                "rq",
                rq,
                "rows",
                "10",
                "fl",
                "id,score,originalScore(),[explain style=text]");
        assertEquals("served from the cache", before[1] + 1, resultCache("site")[1]);
        List<Hit> got = hits(rsp);
        assertEquals(ids(plain), ids(got));
        for (int i = 0; i < got.size(); i++) {
            Object explain = rsp.getResults().get(i).getFieldValue("[explain]");
            assertEquals(
                    "[explain] value = first-pass score: " + explain,
                    got.get(i).originalScore(),
                    explainedValue(explain),
                    1e-5f);
        }
        QueryResponse debug = query(
                client, "site", "/search", "q", q, "rq", rq, "rows", "10", "fl", "id,score", "debugQuery", "true");
        List<Hit> debugHits = hits(debug);
        assertEquals(ids(plain), ids(debugHits));
        for (int i = 0; i < debugHits.size(); i++) {
            Hit h = debugHits.get(i);
            String text = String.valueOf(debug.getExplainMap().get(h.id()));
            assertEquals(
                    "explained value = returned score for " + h + ": " + text, h.score(), explainedValue(text), 1e-5f);
            assertTrue(text, text.contains(i < reRankDocs ? "jarerank: model 'ja'" : "not reranked"));
        }
        // With an explicit sort Solr keeps the tail's first-pass scores; explain says so.
        QueryResponse sorted = query(
                client,
                "site",
                "/search",
                "q",
                q,
                "rq",
                rq,
                "rows",
                "10",
                "sort",
                "id asc",
                "fl",
                "id,score,originalScore(),[jarerank]",
                "debugQuery",
                "true");
        int tail = 0;
        for (Hit h : hits(sorted)) {
            String text = String.valueOf(sorted.getExplainMap().get(h.id()));
            assertEquals(
                    "explained value = returned score for " + h + ": " + text, h.score(), explainedValue(text), 1e-5f);
            if (h.modelScore() == null) {
                tail++;
                assertTrue(text, text.contains("not reranked"));
            }
        }
        assertTrue("the sorted page has hits past reRankDocs", tail > 0);
    }

    @Test
    public void testBadParametersAreHttp400NamingTheParameter() throws Exception {
        String[][] cases = {
            {"{!jarerank model=nope}", "model"},
            {"{!jarerank model=../../etc}", "model"},
            {"{!jarerank reRankDocs=0}", "reRankDocs"},
            {"{!jarerank reRankDocs=-3}", "reRankDocs"},
            {"{!jarerank reRankDocs=abc}", "reRankDocs"},
            {"{!jarerank reRankDocs=1001}", "reRankDocs"},
            {"{!jarerank reRankOperator=divide}", "reRankOperator"},
            {"{!jarerank reRankWeight=NaN}", "reRankWeight"},
            {"{!jarerank reRankWeight=heavy}", "reRankWeight"},
            {"{!jarerank reRankFields=nosuchfield}", "reRankFields"},
            {"{!jarerank reRankFields=title,secret_nostore}", "reRankFields"},
        };
        RerankTestSupport.assertEachIs400Naming(cases, rq -> query(client, "site", "/search", "q", "ごみ", "rq", rq));
        // (q=*:* without reRankText is not an error: the model is skipped, see PipelineRerankTest.)
        SolrException e = expectThrows(
                SolrException.class,
                () -> query(client, "site", "/search", "q", "ごみ", "rq", "{!jarerank reRankText=' '}"));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("reRankText"));
    }

    @Test
    public void testReRankTextParamReference() throws Exception {
        String text = "図書館の開館時間";
        List<Hit> fp = hits(
                query(client, "site", "/select", "q", "*:*", "defType", "lucene", "fl", "id,score", "rows", "200"));
        Map<String, Float> model = new HashMap<>();
        List<String> expected = expectedOrder(reference, text, ids(fp), 100, docs, model);
        List<Hit> got = hits(query(
                client,
                "site",
                "/search",
                "q",
                "*:*",
                "defType",
                "lucene",
                "rq",
                "{!jarerank reRankDocs=100 reRankText=$rrt}",
                "rrt",
                text,
                "rows",
                "100",
                "fl",
                "id,score"));
        assertEquals(expected, ids(got));
    }

    /**
     * Solr caches a request's result after the search, without knowing it fell back: the same request again (cacheable:
     * no debug, no [jarerank] field) must not be answered from that cache as if reranked, without partialResults.
     */
    @Test
    public void testAFallbackIsNeverServedFromTheQueryResultCache() throws Exception {
        StringBuilder longText = new StringBuilder();
        docs.values().forEach(d -> longText.append(d.get("body")));
        long fallbacks = solr.metric("site", "fallbacks");
        for (int i = 0; i < 2; i++) {
            QueryResponse rsp = query(
                    client,
                    "site",
                    "/search",
                    "q",
                    "市の申し込みの案内と受け付け",
                    "rq",
                    "{!jarerank model=strict reRankDocs=100 reRankText=$t}",
                    "t",
                    longText.toString(),
                    "rows",
                    "10",
                    "fl",
                    "id,score");
            assertEquals(
                    "request " + i + " is flagged",
                    Boolean.TRUE,
                    rsp.getHeader().get("partialResults"));
        }
        assertEquals(
                "both requests ran and fell back; neither came from the cache",
                fallbacks + 2,
                solr.metric("site", "fallbacks"));
    }

    @Test
    public void testTimeoutFallsBackToFirstPassWithPartialResults() throws Exception {
        StringBuilder longText = new StringBuilder();
        docs.values().forEach(d -> longText.append(d.get("body")));
        String q = "市の申し込みと受け付けの利用案内";
        List<Hit> fp = firstPass(q);
        long pairs = solr.metric("site", "pairs");
        long fallbacks = solr.metric("site", "fallbacks");
        long timeouts = solr.metric("site", "timeouts");
        long errors = solr.metric("site", "errors");
        QueryResponse rsp = query(
                client,
                "site",
                "/search",
                "q",
                q,
                "rq",
                "{!jarerank model=strict reRankDocs=100 reRankText=$t}",
                "t",
                longText.toString(),
                "rows",
                "100",
                "fl",
                "id,score,originalScore(),[jarerank]");
        // Nothing partial was reported: no scored pairs counted, one fallback counted as a timeout.
        assertEquals("a cancelled scoring call reports no pairs", pairs, solr.metric("site", "pairs"));
        assertEquals(fallbacks + 1, solr.metric("site", "fallbacks"));
        assertEquals(timeouts + 1, solr.metric("site", "timeouts"));
        assertEquals(errors, solr.metric("site", "errors"));
        assertEquals(Boolean.TRUE, rsp.getHeader().get("partialResults"));
        assertTrue(
                String.valueOf(rsp.getHeader().get("partialResultsDetails")),
                String.valueOf(rsp.getHeader().get("partialResultsDetails")).contains("timeoutMs=1"));
        List<Hit> got = hits(rsp);
        assertEquals("fallback returns the first-pass order", ids(fp), ids(got));
        for (int i = 0; i < got.size(); i++) {
            assertEquals(fp.get(i).score(), got.get(i).score(), 1e-4f);
            assertNull(got.get(i).modelScore());
        }
        SolrException e = expectThrows(
                SolrException.class,
                () -> query(
                        client,
                        "site",
                        "/search",
                        "q",
                        q,
                        "rq",
                        "{!jarerank model=strictfail reRankDocs=100 reRankText=$t}",
                        "t",
                        longText.toString()));
        assertEquals(503, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("timeoutMs"));
    }

    @Test
    public void testMoreConcurrentRequestsThanTheWorkersAdmitFallBackAndNoneIsLost() throws Exception {
        String[] queries = {"ごみの出し方", "市の申し込み", "図書館の利用案内", "住民票の受け付け", "子育て支援", "粗大ごみ"};
        Map<String, List<String>> firstPassIds = new LinkedHashMap<>();
        Map<String, List<String>> rerankedIds = new LinkedHashMap<>();
        for (String q : queries) {
            firstPassIds.put(
                    q, ids(firstPass(q).subList(0, Math.min(10, firstPass(q).size()))));
            // Alone, the busy model reranks (its pool is idle): the order every admitted request must give.
            QueryResponse alone = query(
                    client,
                    "site",
                    "/search",
                    "q",
                    q,
                    "rq",
                    "{!jarerank model=busy reRankDocs=40}",
                    "rows",
                    "10",
                    "fl",
                    "id,score");
            assertNull(alone.getHeader().get("partialResults"));
            rerankedIds.put(q, ids(hits(alone)));
        }
        long rejectionsBefore = solr.metric("site", "rejections");
        int clients = 8;
        int overloaded = 0;
        int reranked = 0;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 20 && overloaded == 0; round++) {
                List<Future<QueryResponse>> futures = burst(pool, clients, "busy", "" + round, queries, round);
                for (int c = 0; c < clients; c++) {
                    String q = queries[(round + c) % queries.length];
                    QueryResponse rsp = futures.get(c).get(120, TimeUnit.SECONDS);
                    List<String> got = ids(hits(rsp));
                    if (Boolean.TRUE.equals(rsp.getHeader().get("partialResults"))) {
                        overloaded++;
                        assertTrue(
                                String.valueOf(rsp.getHeader().get("partialResultsDetails")),
                                String.valueOf(rsp.getHeader().get("partialResultsDetails"))
                                        .contains("saturated"));
                        assertEquals("an overloaded request returns the first-pass order", firstPassIds.get(q), got);
                    } else {
                        reranked++;
                        assertEquals("an admitted request is reranked as when alone", rerankedIds.get(q), got);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue("the one-worker pool turned some of " + clients + " simultaneous requests away", overloaded > 0);
        assertTrue("and admitted some", reranked > 0);
        assertEquals(rejectionsBefore + overloaded, solr.metric("site", "rejections"));
        assertTrue(solr.metric("site", "busy.pool.rejectedQueueFull") >= overloaded);
        assertEquals(1, solr.metric("site", "busy.pool.workers"));
        // failOpen=false: the same overload is a 503 naming the cause, never a 500; rounds until one is seen.
        ExecutorService blockers = Executors.newFixedThreadPool(clients);
        int unavailable = 0;
        int answered = 0;
        try {
            for (int round = 0; round < 20 && unavailable == 0; round++) {
                for (Future<QueryResponse> f : burst(blockers, clients, "busyfail", "fail-" + round, queries, 0)) {
                    int code;
                    try {
                        f.get(120, TimeUnit.SECONDS);
                        code = 200;
                    } catch (ExecutionException e) {
                        SolrException cause = (SolrException) e.getCause();
                        assertTrue(
                                cause.getMessage(),
                                cause.code() != 503 || cause.getMessage().contains("saturated"));
                        code = cause.code();
                    }
                    assertTrue("200 or 503, got " + code, code == 200 || code == 503);
                    if (code == 503) {
                        unavailable++;
                    } else {
                        answered++;
                    }
                }
            }
        } finally {
            blockers.shutdownNow();
        }
        assertTrue(
                "failOpen=false turned some of " + clients + " simultaneous requests away with a 503", unavailable > 0);
        assertTrue("and answered some", answered > 0);
    }

    /**
     * Sends one /search request per client ({@code pool} must have as many threads) at the same instant (a barrier), with {@code model} over the top 40, query
     * {@code queries[(offset + c) % n]}, and a filter that keeps every document but differs per request (no result
     * cache hits).
     */
    private static List<Future<QueryResponse>> burst(
            ExecutorService pool, int clients, String model, String tag, String[] queries, int offset) {
        CyclicBarrier start = new CyclicBarrier(clients);
        List<Future<QueryResponse>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String q = queries[(offset + c) % queries.length];
            String everything = "*:* -id:none-" + tag + "-" + c;
            futures.add(pool.submit(() -> {
                start.await();
                return query(
                        client,
                        "site",
                        "/search",
                        "q",
                        q,
                        "fq",
                        everything,
                        "rq",
                        "{!jarerank model=" + model + " reRankDocs=40}",
                        "rows",
                        "10",
                        "fl",
                        "id,score");
            }));
        }
        return futures;
    }

    private static CrossEncoderOptions optionsOf(String core, String model) {
        try (SolrCore c = solr.jetty().getCoreContainer().getCore(core)) {
            return ((CrossEncoderRerankQParserPlugin) c.getQueryPlugin("jarerank"))
                    .lease(model)
                    .options();
        }
    }

    @Test
    public void testModelIsSharedAcrossCores() throws Exception {
        CrossEncoderOptions site = optionsOf("site", "ja");
        assertEquals(site, optionsOf("site2", "ja"));
        try (SolrCore a = solr.jetty().getCoreContainer().getCore("site");
                SolrCore b = solr.jetty().getCoreContainer().getCore("site2")) {
            CrossEncoder ea = ((CrossEncoderRerankQParserPlugin) a.getQueryPlugin("jarerank"))
                    .lease("ja")
                    .encoder();
            CrossEncoder eb = ((CrossEncoderRerankQParserPlugin) b.getQueryPlugin("jarerank"))
                    .lease("ja")
                    .encoder();
            assertSame("two cores naming the same model share one loaded encoder", ea, eb);
        }
        assertEquals(2, ModelRegistry.global().references(site));
        for (String core : List.of("site", "site2")) {
            assertEquals(2, solr.metric(core, "ja.coresSharingModel"));
        }
    }

    @Test
    public void testCoreReloadAndUnloadDoNotLeakModels() throws Exception {
        CrossEncoderOptions ja = optionsOf("site2", "ja");
        long loads = ModelRegistry.global().totalLoads();
        int loaded = ModelRegistry.global().loadedModels();
        for (int i = 0; i < 3; i++) {
            CoreAdminRequest.reloadCore("site2", client);
        }
        assertEquals(
                "a reload reuses the loaded model",
                loads,
                ModelRegistry.global().totalLoads());
        assertEquals(loaded, ModelRegistry.global().loadedModels());
        assertEquals("old cores released their lease", 2, ModelRegistry.global().references(ja));
        // A third core takes a lease, unloading it gives it back.
        StandaloneSolr.makeCoreDir(solrHome, "site3", false);
        CoreAdminRequest.createCore("site3", solrHome.resolve("site3").toString(), client);
        assertEquals(3, ModelRegistry.global().references(ja));
        CoreAdminRequest.unloadCore("site3", true, true, client);
        assertEquals(2, ModelRegistry.global().references(ja));
        assertEquals(loads, ModelRegistry.global().totalLoads());
        List<Hit> got = rerank("site2", "ごみ", "{!jarerank reRankDocs=10}", 0, 10);
        assertFalse("the reloaded core still reranks", got.isEmpty());
        assertNotNull(got.get(0).modelScore());
    }

    @Test
    public void testMetricsCountRequestsPairsAndTime() throws Exception {
        long before = solr.metric("site", "requests");
        long pairsBefore = solr.metric("site", "pairs");
        long tokensBefore = solr.metric("site", "tokens");
        long batchesBefore = solr.metric("site", "batches");
        long inferenceBefore = solr.metric("site", "inferenceTime");
        long tokenizeBefore = solr.metric("site", "tokenizeTime");
        String q = "ごみの出し方";
        List<Hit> got = rerank("site", q, "{!jarerank reRankDocs=7}", 0, 10);
        List<Hit> fp = firstPass(q);
        int reranked = Math.min(7, fp.size());
        assertFalse(got.isEmpty());
        assertEquals(before + 1, solr.metric("site", "requests"));
        assertEquals(pairsBefore + reranked, solr.metric("site", "pairs"));
        // Tokens: what the engine itself reports for the same pairs.
        List<String> texts = new ArrayList<>();
        for (Hit h : fp.subList(0, reranked)) {
            texts.add(docs.get(h.id()).get("title") + " " + docs.get(h.id()).get("body"));
        }
        io.github.jareranker.encoder.ScoringStats stats =
                reference.score(q, texts).stats();
        assertEquals(tokensBefore + stats.tokens(), solr.metric("site", "tokens"));
        assertTrue(solr.metric("site", "batches") > batchesBefore);
        assertEquals(
                "one inference timing per rescoring call", inferenceBefore + 1, solr.metric("site", "inferenceTime"));
        assertEquals("one tokenize timing per rescoring call", tokenizeBefore + 1, solr.metric("site", "tokenizeTime"));
    }

    @Test
    public void testQueryEqualityCoversEveryParameter() throws Exception {
        try (SolrCore core = solr.jetty().getCoreContainer().getCore("site")) {
            String base = "{!jarerank reRankDocs=10 reRankWeight=2 reRankOperator=add reRankFields=title,body}";
            Query a = parseRq(core, "ごみ", base);
            Query b = parseRq(core, "ごみ", base);
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            String[] variants = {
                "{!jarerank reRankDocs=11 reRankWeight=2 reRankOperator=add reRankFields=title,body}",
                "{!jarerank reRankDocs=10 reRankWeight=3 reRankOperator=add reRankFields=title,body}",
                "{!jarerank reRankDocs=10 reRankWeight=2 reRankOperator=multiply reRankFields=title,body}",
                "{!jarerank reRankDocs=10 reRankWeight=2 reRankOperator=add reRankFields=body}",
                "{!jarerank reRankDocs=10 reRankWeight=2 reRankOperator=add reRankFields=title,body model=strict}",
                "{!jarerank reRankDocs=10 reRankWeight=2 reRankOperator=add reRankFields=title,body reRankText=他の文}",
            };
            for (String v : variants) {
                assertNotEquals(v, a, parseRq(core, "ごみ", v));
            }
            assertNotEquals("the query text (from q) is part of the key", a, parseRq(core, "図書館", base));
            CrossEncoderRerankQuery wrapped = (CrossEncoderRerankQuery) parseRq(core, "ごみ", base);
            wrapped.wrap(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term("title", "ごみ")));
            assertNotEquals("the main query is part of the key", a, wrapped);
        }
    }

    /** The cache decision is read at search time, so it holds whichever of rq and fl Solr parses first. */
    @Test
    @SuppressWarnings("deprecation") // LocalSolrQueryRequest: the simplest request bound to a core
    public void testCacheBypassHoldsWhicheverOfTransformerAndRankQueryComesFirst() throws Exception {
        try (SolrCore core = solr.jetty().getCoreContainer().getCore("site")) {
            ModifiableSolrParams p = new ModifiableSolrParams();
            p.set("q", "ごみ");
            org.apache.solr.response.transform.TransformerFactory factory =
                    core.getTransformerFactory(RerankTestSupport.OTHER_TRANSFORMER_NAME);
            assertNotNull(factory);
            try (SolrQueryRequest req = new LocalSolrQueryRequest(core, p)) {
                CrossEncoderRerankQuery rq = (CrossEncoderRerankQuery)
                        QParser.getParser("{!jarerank}", req).getQuery();
                assertTrue("no transformer yet: cacheable", rq.getCache());
                factory.create("[x]", new ModifiableSolrParams(), req);
                assertFalse("transformer created after the rank query", rq.getCache());
            }
            try (SolrQueryRequest req = new LocalSolrQueryRequest(core, p)) {
                factory.create("[x]", new ModifiableSolrParams(), req);
                CrossEncoderRerankQuery rq = (CrossEncoderRerankQuery)
                        QParser.getParser("{!jarerank}", req).getQuery();
                assertFalse("transformer created before the rank query", rq.getCache());
            }
        }
    }

    @SuppressWarnings("deprecation") // LocalSolrQueryRequest: the simplest request bound to a core
    private static Query parseRq(SolrCore core, String q, String rq) throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("q", q);
        try (SolrQueryRequest req = new LocalSolrQueryRequest(core, p)) {
            return QParser.getParser(rq, req).getQuery();
        }
    }

    @Test
    public void testBadModelConfigFailsCoreLoadNamingTheSetting() throws Exception {
        Path dir = solrHome.resolve("broken");
        RerankTestSupport.testConf(dir.resolve("conf"));
        Path solrconfig = dir.resolve("conf/solrconfig.xml");
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8);
        Files.writeString(
                solrconfig,
                xml.replace("${jareranker.model.dir:models/japanese-reranker-xsmall-v2}", "no/such/model-dir"),
                StandardCharsets.UTF_8);
        Exception e =
                expectThrows(Exception.class, () -> CoreAdminRequest.createCore("broken", dir.toString(), client));
        assertTrue(e.getMessage(), e.getMessage().contains("models/ja/modelDirectory"));
        assertTrue(e.getMessage(), e.getMessage().contains("no/such/model-dir"));
    }
}
