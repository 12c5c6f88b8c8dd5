package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;
import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The cascade ({@code then=MODEL thenDocs=N}) over HTTP on a standalone Solr: the example model {@code ja} orders the
 * window, a second model {@code short} (the same files truncated at {@value #SHORT_MAX_LENGTH} tokens, so a distinct
 * model with different scores) reorders the head. Expected orders and scores are computed here with the engine.
 */
@SolrTestCaseJ4.SuppressSSL
public class CascadeRerankTest extends SolrTestCaseJ4 {
    static final String CORE = "cascade";
    static final int SHORT_MAX_LENGTH = 16;

    private static StandaloneSolr solr;
    private static SolrClient client;
    private static CrossEncoder first;
    private static CrossEncoder second;
    private static Map<String, Map<String, String>> docs;

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        solr = StandaloneSolr.start(createTempDir("solr-home"), Map.of(CORE, CascadeRerankTest::cascadeConf));
        client = solr.client();
        List<Map<String, String>> sample = RerankTestSupport.sampleDocs();
        docs = RerankTestSupport.byId(sample);
        client.add(CORE, RerankTestSupport.inputDocs(sample));
        client.commit(CORE);
        first = RerankTestSupport.loadReferenceModel();
        second = loadShortReference();
    }

    /** {@link PipelineRerankTest#pipelineConf} plus the model {@code short} ({@value #SHORT_MAX_LENGTH} tokens). */
    static Path cascadeConf(Path conf) throws Exception {
        PipelineRerankTest.pipelineConf(conf);
        Path solrconfig = conf.resolve("solrconfig.xml");
        String shortModel = "<lst name=\"models\">\n"
                + "      <lst name=\"short\">\n"
                + "        <str name=\"modelDirectory\">${" + RerankTestSupport.MODEL_DIR_PROP + "}</str>\n"
                + "        <int name=\"maxLength\">" + SHORT_MAX_LENGTH + "</int>\n"
                + "        <int name=\"workers\">1</int>\n"
                + "      </lst>\n";
        Files.writeString(
                solrconfig,
                Files.readString(solrconfig, StandardCharsets.UTF_8).replace("<lst name=\"models\">", shortModel),
                StandardCharsets.UTF_8);
        return conf;
    }

    /** The engine the model {@code short} of {@link #cascadeConf} runs, loaded here for expected values. */
    static CrossEncoder loadShortReference() throws Exception {
        return CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .intraOpThreads(1)
                .maxLength(SHORT_MAX_LENGTH)
                .build());
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (solr != null) {
            solr.close(); // also clears the model properties
        }
        for (CrossEncoder e : new CrossEncoder[] {first, second}) {
            if (e != null) {
                e.close();
            }
        }
        solr = null;
        client = null;
        first = null;
        second = null;
        docs = null;
    }

    private static QueryResponse search(String q, String rq, int rows, String... more) throws Exception {
        List<String> kv = new ArrayList<>(
                List.of("q", q, "rq", rq, "rows", String.valueOf(rows), "fl", "id,score,originalScore(),[jarerank]"));
        kv.addAll(List.of(more));
        return query(client, CORE, "/search", kv.toArray(new String[0]));
    }

    /** The core's {@code pairs} metric: (query, hit) pairs scored by any model. */
    private static long pairs() throws Exception {
        return solr.metric(CORE, "pairs");
    }

    /** The expected final order: stage 1 by the ja model, then its top thenDocs by the short model. */
    private static List<String> expected(
            String q, int window, int thenDocs, Map<String, Float> stage1Scores, Map<String, Float> stage2Scores)
            throws Exception {
        List<String> fp = ids(hits(query(client, CORE, "/select", "q", q, "fl", "id,score", "rows", "200")));
        return cascadeOrder(first, second, q, fp, window, thenDocs, docs, stage1Scores, stage2Scores);
    }

    /**
     * The cascade's order of the first pass {@code fp}: its top {@code window} by {@code first}'s scores, then the top
     * {@code thenDocs} of that by {@code second}'s (ties: the earlier order), then the rest of the window, then the
     * first-pass tail. Fills in each scored hit's score of each stage.
     */
    static List<String> cascadeOrder(
            CrossEncoder first,
            CrossEncoder second,
            String q,
            List<String> fp,
            int window,
            int thenDocs,
            Map<String, Map<String, String>> docs,
            Map<String, Float> stage1Scores,
            Map<String, Float> stage2Scores) {
        List<String> stage1 = RerankTestSupport.expectedOrder(first, q, fp, window, docs, stage1Scores);
        List<String> head = new ArrayList<>(stage1.subList(0, Math.min(thenDocs, Math.min(window, fp.size()))));
        List<String> texts = new ArrayList<>();
        head.forEach(id -> texts.add(RerankTestSupport.modelText(docs.get(id))));
        float[] s2 = second.score(q, texts).scores();
        for (int i = 0; i < head.size(); i++) {
            stage2Scores.put(head.get(i), s2[i]);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < head.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -s2[i]).thenComparingInt(i -> i));
        List<String> out = new ArrayList<>();
        order.forEach(i -> out.add(head.get(i)));
        out.addAll(stage1.subList(head.size(), stage1.size()));
        return out;
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testSecondModelReordersTheHeadOfTheFirstAboveTheRest() throws Exception {
        String q = "市の申し込みと受け付けの利用案内";
        int window = 12;
        int thenDocs = 8;
        Map<String, Float> s1 = new HashMap<>();
        Map<String, Float> s2 = new HashMap<>();
        List<String> want = expected(q, window, thenDocs, s1, s2);
        assertTrue("need hits past the window, got " + want.size(), want.size() > window + 2);
        List<String> stage1Head = new ArrayList<>(s2.keySet());
        long pairs = pairs();
        List<Hit> got = hits(
                search(q, "{!jarerank model=ja reRankDocs=" + window + " then=short thenDocs=" + thenDocs + "}", 50));
        assertEquals(want, ids(got));
        // Cost: the first model scores the window, the second only the head.
        assertEquals(window + thenDocs, pairs() - pairs);
        // The two models disagree on this head, so the test sees stage 2 at work.
        List<String> stage1Order = new ArrayList<>(want.subList(0, thenDocs));
        stage1Order.sort(Comparator.comparingDouble(id -> -s1.get(id)));
        assertNotEquals("stage 2 changes the order of the head", stage1Order, want.subList(0, thenDocs));
        assertEquals(thenDocs, stage1Head.size());
        for (int i = 1; i < got.size(); i++) {
            assertTrue(
                    "scores never increase: " + got,
                    got.get(i).score() <= got.get(i - 1).score());
        }
        float highestStage1 = s1.values().stream().max(Float::compare).orElseThrow();
        float lowestStage2 = s2.values().stream().min(Float::compare).orElseThrow();
        for (int r = 0; r < window; r++) {
            Hit h = got.get(r);
            if (r < thenDocs) {
                // [jarerank] is the final stage's model score; the returned score is it shifted above stage 1.
                assertEquals(h.toString(), s2.get(h.id()), h.modelScore(), 1e-4f);
                assertEquals(h.toString(), s2.get(h.id()) - lowestStage2 + highestStage1 + 1f, h.score(), 1e-4f);
            } else {
                assertEquals(h.toString(), s1.get(h.id()), h.modelScore(), 1e-4f);
                assertEquals(h.toString(), s1.get(h.id()), h.score(), 1e-4f);
            }
        }
        assertTrue(got.get(thenDocs - 1).score() > got.get(thenDocs).score() + 0.99f);
        for (Hit tail : got.subList(window, got.size())) {
            assertNull(tail.modelScore());
            assertTrue("the first-pass tail stays below the window: " + tail, tail.score() < 0f);
        }

        QueryResponse debug = search(
                q,
                "{!jarerank model=ja reRankDocs=" + window + " then=short thenDocs=" + thenDocs + "}",
                window,
                "debugQuery",
                "true");
        String top = String.valueOf(debug.getExplainMap().get(want.get(0)));
        assertTrue(top, top.contains("stage 2, model 'short'"));
        assertTrue(top, top.contains("stage 1: jarerank: model 'ja'"));
        String rest = String.valueOf(debug.getExplainMap().get(want.get(thenDocs)));
        assertTrue(rest, rest.contains("stage 1 only"));
        assertTrue(rest, rest.contains("model 'ja'"));
    }

    @Test
    public void testThenDocsDefaultsToTheWindowUpToThirty() throws Exception {
        String q = "図書館で本を予約したい";
        int window = 6; // min(6, 30) = 6: the short model orders the whole window
        Map<String, Float> s1 = new HashMap<>();
        Map<String, Float> s2 = new HashMap<>();
        List<String> want = expected(q, window, window, s1, s2);
        List<Hit> got = hits(search(q, "{!jarerank reRankDocs=" + window + " then=short}", 20));
        assertEquals(want, ids(got));
        for (int r = 0; r < window; r++) {
            assertEquals(s2.get(got.get(r).id()), got.get(r).modelScore(), 1e-4f);
        }
    }

    @Test
    public void testBadCascadeParametersAre400NamingTheParameter() throws Exception {
        String[][] cases = {
            {"{!jarerank reRankDocs=10 then=nope thenDocs=5}", "jarerank: then:"},
            {"{!jarerank reRankDocs=10 then=short thenDocs=0}", "jarerank: thenDocs"},
            {"{!jarerank reRankDocs=10 then=short thenDocs=11}", "jarerank: thenDocs"},
            {"{!jarerank reRankDocs=10 then=short thenDocs=abc}", "jarerank: thenDocs"},
            {"{!jarerank reRankDocs=10 thenDocs=5}", "jarerank: thenDocs"},
        };
        RerankTestSupport.assertEachIs400Naming(cases, rq -> search("ごみ", rq, 10));
    }
}
