package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.query;

import io.github.jareranker.encoder.CrossEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Passage scoring in a standalone Solr over HTTP: MaxP scores, the best passage as a snippet (text,
 * offsets, index), explain, model-level defaults and the request limits. Expected scores come from the
 * engine scoring the returned snippet alone.
 */
@SolrTestCaseJ4.SuppressSSL
public class PassageStandaloneTest extends SolrTestCaseJ4 {
    private static final String QUERY = "粗大ごみの出し方";
    private static StandaloneSolr solr;
    private static SolrClient client;
    private static CrossEncoder reference;
    private static final Map<String, Map<String, String>> DOCS = new HashMap<>();
    /** The long page and one more hit: with a single hit the model is skipped (the fewHits rule, docs/pipeline.md). */
    private static final String TWO_HITS = "id:(long-1 OR gomi-01)";

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        Path home = createTempDir("solr-home");
        Path solrconfig = StandaloneSolr.makeCoreDir(home, "pages", true).resolve("conf/solrconfig.xml");
        // "pages": the same model with passages on by default and a small pair cap.
        String pages = "<lst name=\"models\">\n      <lst name=\"pages\">\n"
                + "        <str name=\"modelDirectory\">${" + RerankTestSupport.MODEL_DIR_PROP + "}</str>\n"
                + "        <int name=\"workers\">1</int>\n        <int name=\"maxLength\">512</int>\n"
                + "        <str name=\"passages\">max</str>\n        <int name=\"passageTokens\">40</int>\n"
                + "        <int name=\"maxPassages\">4</int>\n        <int name=\"maxPassagePairs\">400</int>\n"
                + "        <int name=\"maxDocumentChars\">2000</int>\n      </lst>\n";
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8).replace("<lst name=\"models\">", pages);
        Files.writeString(solrconfig, xml, StandardCharsets.UTF_8);
        solr = StandaloneSolr.start(home); // loads the discovered core "pages"
        client = solr.client();
        List<Map<String, String>> docs = new ArrayList<>(RerankTestSupport.sampleDocs());
        StringBuilder page = new StringBuilder();
        for (Map<String, String> d : docs) {
            page.append(d.get("body")).append('\n');
        }
        docs.add(Map.of("id", "long-1", "title", "市のくらしの案内（ごみ・図書館・子育て）", "body", page.toString()));
        docs.forEach(d -> DOCS.put(d.get("id"), d));
        client.add("pages", RerankTestSupport.inputDocs(docs));
        client.commit("pages");
        reference = RerankTestSupport.loadReferenceModel();
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (solr != null) {
            solr.close();
        }
        if (reference != null) {
            reference.close();
        }
        solr = null;
        client = null;
        reference = null;
    }

    private static SolrDocument hit(QueryResponse rsp, String id) {
        return rsp.getResults().stream()
                .filter(d -> id.equals(d.getFieldValue("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(id + " not in " + rsp.getResults()));
    }

    private static QueryResponse search(String rq, String... extra) throws Exception {
        List<String> kv = new ArrayList<>(List.of(
                "q",
                QUERY,
                "rq",
                rq,
                "fl",
                "id,score,[jarerank],snippet:[jarerank passage=text],at:[jarerank passage=offsets],"
                        + "k:[jarerank passage=index]"));
        kv.addAll(List.of(extra));
        return query(client, "pages", "/search", kv.toArray(new String[0]));
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testMaxPScoreIsTheScoreOfTheSnippetAloneAndTheSnippetPointsIntoTheBody() throws Exception {
        // 96 tokens leave every sample title whole (a title over half the budget would be cut in front of
        // the passages, and the snippet is the body part only)
        QueryResponse rsp =
                search("{!jarerank reRankDocs=60 passages=max passageTokens=96 maxPassages=8}", "rows", "60");
        assertTrue(rsp.getResults().size() > 5);
        boolean sawLater = false;
        for (SolrDocument d : rsp.getResults()) {
            Map<String, String> doc = DOCS.get((String) d.getFieldValue("id"));
            String snippet = (String) d.getFieldValue("snippet");
            List<?> at = (List<?>) d.getFieldValue("at");
            int start = ((Number) at.get(0)).intValue();
            int end = ((Number) at.get(1)).intValue();
            assertEquals(doc.get("body").substring(start, end), snippet);
            float alone = reference
                    .score(QUERY, List.of(doc.get("title") + " " + snippet))
                    .score(0);
            float model = ((Number) d.getFieldValue("[jarerank]")).floatValue();
            assertEquals("MaxP of " + doc.get("id"), alone, model, 1e-5f);
            sawLater |= ((Number) d.getFieldValue("k")).intValue() > 0;
        }
        assertTrue("some hit's best passage is not its first", sawLater);
    }

    @Test
    public void testExplainListsThePassagesAndTheCut() throws Exception {
        QueryResponse rsp = search("{!jarerank model=pages reRankDocs=5}", "debugQuery", "true", "fq", TWO_HITS);
        String explain = String.valueOf(rsp.getExplainMap().get("long-1"));
        assertTrue(explain, explain.contains("passages=max"));
        assertTrue(explain, explain.contains("best passage "));
        assertTrue(explain, explain.contains("4 of "));
        assertTrue(explain, explain.contains("body cut at maxDocumentChars=2000"));
        assertNotNull(hit(rsp, "long-1").getFieldValue("snippet"));
    }

    @Test
    public void testModelDefaultsApplyAndARequestCanTurnThemOff() throws Exception {
        SolrDocument byDefault = hit(search("{!jarerank model=pages reRankDocs=5}", "fq", TWO_HITS), "long-1");
        assertNotNull(byDefault.getFieldValue("snippet"));
        SolrDocument off = hit(search("{!jarerank model=pages reRankDocs=5 passages=none}", "fq", TWO_HITS), "long-1");
        assertNull(off.getFieldValue("snippet"));
        Map<String, String> doc = DOCS.get("long-1");
        float today = reference
                .score(QUERY, List.of(doc.get("title") + " " + doc.get("body")))
                .score(0);
        assertEquals(today, ((Number) off.getFieldValue("[jarerank]")).floatValue(), 1e-5f);
        // FirstP with a budget as large as the model's window reads what truncation reads, up to a
        // whole-sentence boundary: its snippet is the body's start
        SolrDocument first = hit(search("{!jarerank reRankDocs=5 passages=first}", "fq", TWO_HITS), "long-1");
        assertTrue(doc.get("body").startsWith((String) first.getFieldValue("snippet")));
        assertEquals(0, ((Number) first.getFieldValue("k")).intValue());
    }

    @Test
    public void testBadValuesAre400NamingTheParameter() throws Exception {
        assertBadRequest("passages", "{!jarerank passages=best}");
        assertBadRequest("maxPassages", "{!jarerank passages=max maxPassages=0}");
        assertBadRequest("passageTokens", "{!jarerank passages=max passageTokens=8}");
        assertBadRequest("passageTopK", "{!jarerank passages=meanTopK passageTopK=x}");
        assertBadRequest("passageTitle", "{!jarerank passages=max passageTitle=maybe}");
        // the "pages" model caps maxPassages × reRankDocs at 400
        assertBadRequest("maxPassages", "{!jarerank model=pages reRankDocs=101}");
        assertEquals(0, search("{!jarerank model=pages reRankDocs=100}").getStatus());
        SolrException e = expectThrows(
                SolrException.class,
                () -> query(
                        client,
                        "pages",
                        "/search",
                        "q",
                        QUERY,
                        "rq",
                        "{!jarerank passages=max}",
                        "fl",
                        "id,[jarerank passage=html]"));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("passage="));
    }

    private static void assertBadRequest(String param, String rq) {
        RerankTestSupport.assertEachIs400Naming(new String[][] {{rq, "jarerank: " + param + ":"}}, r -> search(r));
    }
}
