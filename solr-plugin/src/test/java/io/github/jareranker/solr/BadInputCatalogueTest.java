package io.github.jareranker.solr;

import static io.github.jareranker.solr.RerankTestSupport.Hit;
import static io.github.jareranker.solr.RerankTestSupport.hits;
import static io.github.jareranker.solr.RerankTestSupport.ids;

import io.github.jareranker.encoder.CrossEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.Group;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bad-input catalogue of docs/reliability.md, over HTTP: odd queries, odd documents, bad and extreme parameters,
 * paging past the window, sorting, grouping and collapsing with {@code rq}. Every case has one expected outcome: HTTP
 * 400 naming the parameter, or a documented 200 answer — reranked (every first-pass hit returned once, model order in
 * the window, first-pass order below it) or first-pass order. Never a 500, a hang or a lost hit.
 */
@SolrTestCaseJ4.SuppressSSL
public class BadInputCatalogueTest extends SolrTestCaseJ4 {
    private static final String CORE = "site";
    private static final String ODD_DOCS_TERM = "図書館";

    private static StandaloneSolr solr;
    private static SolrClient client;
    private static CrossEncoder reference;
    private static Map<String, Map<String, String>> docs;

    @BeforeClass
    public static void startSolr() throws Exception {
        if (!RerankTestSupport.solrCanStart()) {
            return; // each test says why it is skipped (skipWhereNoSolrNodeCanStart)
        }
        solr = StandaloneSolr.start(createTempDir("solr-home"), CORE);
        client = solr.client();
        List<Map<String, String>> all = new ArrayList<>(RerankTestSupport.sampleDocs());
        all.addAll(oddDocuments());
        docs = RerankTestSupport.byId(all);
        List<SolrInputDocument> input = RerankTestSupport.inputDocs(all);
        for (int i = 0; i < input.size(); i++) {
            input.get(i).addField("rank_i", i);
            input.get(i).addField("group_s", "g" + (i % 3));
        }
        client.add(CORE, input);
        client.commit(CORE);
        reference = RerankTestSupport.loadReferenceModel();
    }

    /** Documents the model must cope with, all matching {@link #ODD_DOCS_TERM} through their title or url. */
    private static List<Map<String, String>> oddDocuments() {
        List<Map<String, String>> odd = new ArrayList<>();
        odd.add(doc("odd-empty-body", ODD_DOCS_TERM, ""));
        Map<String, String> noBody = new LinkedHashMap<>();
        noBody.put("id", "odd-no-body");
        noBody.put("title", ODD_DOCS_TERM + "のお知らせ");
        odd.add(noBody);
        odd.add(doc("odd-huge-body", ODD_DOCS_TERM + "の長い案内", "開館時間のご案内です。".repeat(32_000)));
        StringBuilder junk = new StringBuilder();
        Random random = new Random(42);
        for (int i = 0; i < 4_000; i++) {
            char c = (char) random.nextInt(0xD800); // below the surrogates: any BMP character, controls included
            junk.append(c == 0 ? ' ' : c); // Solr's stored fields keep NUL, but XML responses cannot carry it
        }
        odd.add(doc("odd-binary-junk", ODD_DOCS_TERM + " junk", junk.toString()));
        odd.add(doc("odd-emoji", ODD_DOCS_TERM + "📚🏛️", "絵文字😀と記号♪だけ🎉🎉🎉"));
        return odd;
    }

    private static Map<String, String> doc(String id, String title, String body) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("title", title);
        d.put("body", body);
        return d;
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

    /** What a case must answer. */
    private sealed interface Expect permits BadRequest, Reranked, FirstPass, NoHits, Grouped {}

    /** HTTP 200 with the same groups as grouping without {@code rq}, each group's hits ordered by score. */
    private record Grouped() implements Expect {}

    /** HTTP 400 whose message names {@code parameter}. */
    private record BadRequest(String parameter) implements Expect {}

    /**
     * HTTP 200 with every first-pass hit once: the first {@code window} in the engine's order for {@code modelText}
     * over the text of {@code fields} (title and body unless given), scaled by {@code weight} (a negative weight
     * reverses it), the rest in first-pass order.
     */
    private record Reranked(String modelText, int window, float weight, List<String> fields) implements Expect {
        Reranked {
            Objects.requireNonNull(modelText, "every reranked case names the text the model reads");
        }

        Reranked(String modelText, int window) {
            this(modelText, window, 1f, List.of("title", "body"));
        }

        Reranked(String modelText, int window, float weight) {
            this(modelText, window, weight, List.of("title", "body"));
        }
    }

    /** HTTP 200 with no hit at all, from both handlers (numFound 0). */
    private record NoHits() implements Expect {}

    /** HTTP 200 in first-pass order; {@code partialResults} as given. */
    private record FirstPass(boolean partialResults) implements Expect {}

    private record Case(String name, Map<String, String> params, Expect expect) {}

    private static Case bad(String name, String parameter, String... kv) {
        return new Case(name, kv(kv), new BadRequest(parameter));
    }

    private static Case reranked(String name, String modelText, String... kv) {
        return new Case(name, kv(kv), new Reranked(modelText, 100));
    }

    private static Map<String, String> kv(String... kv) {
        Map<String, String> p = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static List<Case> catalogue() {
        String rq = "rq";
        List<Case> cases = new ArrayList<>();
        // Queries.
        cases.add(bad("empty q: no text for the model", "reRankText", "q", ""));
        cases.add(bad("whitespace q", "reRankText", "q", "   \t "));
        cases.add(new Case(
                "100 KB q: Solr's maxBooleanClauses guard leaves edismax nothing to match (both handlers: 0 hits)",
                kv("q", "図書館の本 ".repeat(20_000)),
                new NoHits()));
        // Punctuation gives Kuromoji no term: the query matches through its one word, and the model reads the head.
        String longQ = ODD_DOCS_TERM + " " + "、".repeat(33_000); // 99 KB in UTF-8
        cases.add(reranked(
                "100 KB q of one word and punctuation (reranked; the model reads its head)", longQ, "q", longQ));
        String longText = "図書館の本を予約したい。".repeat(3_000);
        cases.add(reranked(
                "100 KB reRankText (the model reads its head)",
                longText,
                "q",
                ODD_DOCS_TERM,
                rq,
                "{!jarerank reRankText=$long}",
                "long",
                longText));
        cases.add(new Case(
                "*:* without reRankText: the model is skipped (matchAll, docs/solr.md)",
                kv("q", "*:*", "defType", "lucene"),
                new FirstPass(false)));
        cases.add(reranked("*:* with reRankText", "図書館", "q", "*:*", "defType", "lucene", rq, withText("図書館")));
        String syntax = "図書館 AND (本 OR \"予約\") -ごみ +開館^2 ~ ? [a TO z]";
        cases.add(reranked("query syntax characters (the model reads q as written)", syntax, "q", syntax));
        String unbalanced = "図書館 ((( \" : }";
        cases.add(reranked("unbalanced syntax (edismax escapes it)", unbalanced, "q", unbalanced));
        cases.add(reranked("emoji", "📚図書館🏛️", "q", "📚図書館🏛️"));
        String controls = "図書館\u0001\u0007\u001b[31m の本\u007f";
        cases.add(reranked("control characters", controls, "q", controls));
        cases.add(new Case(
                "lone surrogates (SolrJ sends them as '?', a wildcard: both handlers agree)",
                kv("q", "図書館\ud800の本\udc00"),
                new FirstPass(false)));
        cases.add(reranked("NUL", "図書館\u0000の本", "q", "図書館\u0000の本"));
        cases.add(reranked(
                "mixed scripts and full-width", "ＬＩＢＲＡＲＹ 図書館 library ﾄｼｮｶﾝ", "q", "ＬＩＢＲＡＲＹ 図書館 library ﾄｼｮｶﾝ"));
        // Documents with empty, missing, 1 MB and binary-junk text are in the window of every ODD_DOCS_TERM query.
        cases.add(reranked("odd documents in the window", ODD_DOCS_TERM, "q", ODD_DOCS_TERM));
        // reRankDocs.
        cases.add(bad("reRankDocs=0", "reRankDocs", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=0}"));
        cases.add(bad("reRankDocs=-1", "reRankDocs", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=-1}"));
        cases.add(bad("reRankDocs=10^9", "reRankDocs", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=1000000000}"));
        cases.add(bad("reRankDocs=abc", "reRankDocs", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=abc}"));
        cases.add(bad("reRankDocs=2.5", "reRankDocs", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=2.5}"));
        cases.add(new Case(
                "reRankDocs=3: only the head is reranked",
                kv("q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=3}"),
                new Reranked(ODD_DOCS_TERM, 3)));
        // Operator, weight, model, fields, text.
        cases.add(bad("unknown operator", "reRankOperator", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankOperator=x}"));
        cases.add(bad("weight NaN", "reRankWeight", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankWeight=NaN}"));
        cases.add(bad("weight Infinity", "reRankWeight", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankWeight=Infinity}"));
        cases.add(
                bad("weight -Infinity", "reRankWeight", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankWeight=-Infinity}"));
        cases.add(bad("weight not a number", "reRankWeight", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankWeight=1,5}"));
        cases.add(new Case(
                "negative weight (documented: reverses the model order)",
                kv("q", ODD_DOCS_TERM, rq, "{!jarerank reRankWeight=-1}"),
                new Reranked(ODD_DOCS_TERM, 100, -1f)));
        cases.add(bad("unknown model", "model", "q", ODD_DOCS_TERM, rq, "{!jarerank model=nope}"));
        cases.add(bad("model as a path", "model", "q", ODD_DOCS_TERM, rq, "{!jarerank model=/etc/passwd}"));
        cases.add(bad("unknown field", "reRankFields", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankFields=nofield}"));
        cases.add(bad(
                "field not stored", "reRankFields", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankFields=body_nostore}"));
        cases.add(new Case(
                "the id field as text",
                kv("q", ODD_DOCS_TERM, rq, "{!jarerank reRankFields=id}"),
                new Reranked(ODD_DOCS_TERM, 100, 1f, List.of("id"))));
        cases.add(bad(
                "reRankText=$missing", "reRankText", "q", ODD_DOCS_TERM, rq, "{!jarerank reRankText=$nosuchparam}"));
        // Solr's own local-params parser answers these two before the plugin sees them: 400 quoting the value.
        cases.add(bad(
                "malformed local params",
                "{!jarerank reRankDocs=5",
                "q",
                ODD_DOCS_TERM,
                rq,
                "{!jarerank reRankDocs=5"));
        cases.add(bad("unknown rank query parser", "nosuchparser", "q", ODD_DOCS_TERM, rq, "{!nosuchparser}"));
        // Paging, sorting, grouping, collapsing.
        cases.add(new Case(
                "start and rows past the window",
                kv("q", ODD_DOCS_TERM, rq, "{!jarerank reRankDocs=4}", "start", "2", "rows", "500"),
                new Reranked(ODD_DOCS_TERM, 4)));
        cases.add(new Case(
                "start beyond every hit: an empty page",
                kv("q", ODD_DOCS_TERM, "start", "100000"),
                new FirstPass(false)));
        cases.add(new Case(
                "sort by a field: Solr reranks the sorted head (documented)",
                kv("q", ODD_DOCS_TERM, "sort", "rank_i asc", rq, "{!jarerank reRankDocs=3}"),
                new Reranked(ODD_DOCS_TERM, 3)));
        cases.add(new Case(
                "grouping with rq (Solr reranks before grouping)",
                kv("q", ODD_DOCS_TERM, "group", "true", "group.field", "group_s"),
                new Grouped()));
        cases.add(reranked("collapse with rq", ODD_DOCS_TERM, "q", ODD_DOCS_TERM, "fq", "{!collapse field=group_s}"));
        return cases;
    }

    /** The non-empty values of {@code fields} of {@code doc}, joined with a space: what the model reads. */
    private static String text(Map<String, String> doc, List<String> fields) {
        List<String> parts = new ArrayList<>();
        for (String field : fields) {
            String value = doc.get(field);
            if (value != null && !value.isEmpty()) {
                parts.add(value);
            }
        }
        return String.join(" ", parts);
    }

    private static String withText(String text) {
        return "{!jarerank reRankText='" + text + "'}";
    }

    /** Skips each test, naming why, where no Solr node can start (the Solr 10 target here: SolrRuntime). */
    @Before
    public void skipWhereNoSolrNodeCanStart() {
        RerankTestSupport.assumeSolrCanStart();
    }

    @Test
    public void testEveryCatalogueCaseHasItsDocumentedOutcome() throws Exception {
        List<Case> cases = catalogue();
        // The count docs/reliability.md and README.md state.
        assertEquals("cases in the catalogue", 40, cases.size());
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            try {
                check(c);
            } catch (AssertionError | Exception e) {
                failures.add(c.name() + ": " + e);
            }
        }
        assertTrue(
                failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures),
                failures.isEmpty());
    }

    private static void check(Case c) throws Exception {
        ModifiableSolrParams p = new ModifiableSolrParams();
        p.set("fl", "id,score,originalScore(),[jarerank]");
        p.set("rows", "500");
        c.params().forEach(p::set);
        if (c.expect() instanceof BadRequest bad) {
            SolrException e = expectThrows(SolrException.class, () -> request("/search", p));
            assertEquals("HTTP status; message: " + e.getMessage(), 400, e.code());
            assertTrue(
                    "the message names " + bad.parameter() + ": " + e.getMessage(),
                    e.getMessage().contains(bad.parameter()));
            return;
        }
        QueryResponse got = request("/search", p);
        if (c.expect() instanceof Grouped) {
            checkGroups(got, p);
            return;
        }
        ModifiableSolrParams plain = new ModifiableSolrParams(p);
        plain.remove("rq");
        plain.set("fl", "id,score");
        List<String> firstPass = ids(hits(request("/select", plain)));
        List<Hit> hits = hits(got);
        Object partial = got.getHeader().get("partialResults");
        if (c.expect() instanceof NoHits) {
            assertEquals("hits of /search", 0, got.getResults().getNumFound());
            assertEquals(
                    "hits of /select", 0, request("/select", plain).getResults().getNumFound());
            assertNull("partialResults", partial);
            return;
        }
        if (c.expect() instanceof FirstPass fp) {
            assertEquals("partialResults", fp.partialResults() ? Boolean.TRUE : null, partial);
            assertEquals("first-pass order", firstPass, ids(hits));
            return;
        }
        Reranked r = (Reranked) c.expect();
        assertNull("partialResults: " + got.getHeader(), partial);
        int start = p.getInt("start", 0);
        // The whole first-pass list (from 0) against the whole reranked list, to see every hit once.
        ModifiableSolrParams whole = new ModifiableSolrParams(p);
        whole.set("start", "0");
        whole.set("rows", "1000");
        plain.set("start", "0");
        plain.set("rows", "1000");
        List<String> allFirstPass = ids(hits(request("/select", plain)));
        List<Hit> all = hits(request("/search", whole));
        assertTrue("the query must match something", !allFirstPass.isEmpty());
        assertEquals("every first-pass hit once", new HashSet<>(allFirstPass), new HashSet<>(ids(all)));
        assertEquals("no duplicates", allFirstPass.size(), all.size());
        int window = Math.min(r.window(), all.size());
        assertEquals(
                "first-pass order below the window",
                allFirstPass.subList(window, allFirstPass.size()),
                ids(all).subList(window, all.size()));
        // With a sort, the first pass (and so the window's content) follows the sort, not BM25.
        assertEquals(
                "the window holds the first-pass head",
                new HashSet<>(allFirstPass.subList(0, window)),
                new HashSet<>(ids(all).subList(0, window)));
        for (int i = 1; i < window; i++) {
            assertTrue(
                    "model order in the window: " + all,
                    all.get(i).score() <= all.get(i - 1).score());
        }
        Map<String, Float> model = new HashMap<>();
        List<String> expected = RerankTestSupport.expectedOrder(
                reference, r.modelText(), allFirstPass, window, id -> text(docs.get(id), r.fields()), model);
        if (r.weight() < 0) {
            // score = weight x model score: the window in ascending model score, ties in first-pass order.
            List<String> head = new ArrayList<>(allFirstPass.subList(0, window));
            head.sort(Comparator.<String>comparingDouble(model::get).thenComparingInt(allFirstPass::indexOf));
            expected = new ArrayList<>(head);
            expected.addAll(allFirstPass.subList(window, allFirstPass.size()));
        }
        assertEquals("the engine's order, weight " + r.weight(), expected, ids(all));
        List<String> page = ids(hits);
        assertEquals(
                "the requested page of the same list",
                ids(all).subList(Math.min(start, all.size()), Math.min(start + p.getInt("rows"), all.size())),
                page);
    }

    /**
     * Bytes that are not UTF-8 in the URL (a CESU-8 lone surrogate, a stray byte, a broken escape): Solr answers 400
     * before any query parser runs.
     */
    @Test
    public void testUndecodableQueryStringsAreBadRequests() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String q : List.of("%E5%9B%B3%ED%A0%80", "%FF%FE", "%E5%9B")) {
            URI uri = URI.create(solr.jetty().getBaseUrl() + "/" + CORE + "/search?q=" + q + "&wt=json");
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("q=" + q + ": " + response.body(), 400, response.statusCode());
        }
    }

    private static void checkGroups(QueryResponse reranked, ModifiableSolrParams p) throws Exception {
        ModifiableSolrParams plain = new ModifiableSolrParams(p);
        plain.remove("rq");
        plain.set("fl", "id,score");
        QueryResponse firstPass = request("/select", plain);
        List<String> rerankedGroups = new ArrayList<>();
        for (Group group : reranked.getGroupResponse().getValues().get(0).getValues()) {
            rerankedGroups.add(group.getGroupValue());
            SolrDocumentList hits = group.getResult();
            for (int i = 1; i < hits.size(); i++) {
                assertTrue(
                        "hits of a group by score",
                        ((Number) hits.get(i).getFieldValue("score")).floatValue()
                                <= ((Number) hits.get(i - 1).getFieldValue("score")).floatValue());
            }
        }
        List<String> firstPassGroups = new ArrayList<>();
        firstPass
                .getGroupResponse()
                .getValues()
                .get(0)
                .getValues()
                .forEach(g -> firstPassGroups.add(g.getGroupValue()));
        assertEquals("the same groups", new HashSet<>(firstPassGroups), new HashSet<>(rerankedGroups));
        assertFalse("groups found", rerankedGroups.isEmpty());
    }

    private static QueryResponse request(String handler, ModifiableSolrParams p) throws Exception {
        QueryRequest req = new QueryRequest(p, SolrRequest.METHOD.POST);
        req.setPath(handler);
        return req.process(client, CORE);
    }
}
