package io.github.jareranker.solr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.Assume;

/** Shared fixtures of the Solr tests: the example configset, the sample site and the reference model. */
final class RerankTestSupport {
    private RerankTestSupport() {}

    /** System properties the example configset reads. */
    static final String MODEL_DIR_PROP = "jareranker.model.dir";

    static final String THREADS_PROP = "jareranker.workers";

    /** Whether a Solr node can start on this classpath ({@link SolrRuntime}); false on the Solr 10 target here. */
    static boolean solrCanStart() {
        return SolrRuntime.cannotStart().isEmpty();
    }

    /**
     * Skips the calling test (from its {@code @Before}: a JUnit 4 skip from {@code @BeforeClass} carries no reason)
     * when no Solr node can start on this classpath, naming why; does nothing on Solr 9.
     */
    static void assumeSolrCanStart() {
        Optional<String> why = SolrRuntime.cannotStart();
        Assume.assumeTrue(why.orElse(""), why.isEmpty());
    }

    /** The example configset's pair-score cache size; 0 in the tests, which count the model's work. */
    static final String PAIR_CACHE_PROP = "jareranker.pairCacheSize";

    /**
     * Points the configset's system properties at the committed test model, with one inference worker and the
     * pair-score cache off (a core that tests the cache sets its own size in its solrconfig.xml).
     */
    static void setModelProperties() {
        System.setProperty(MODEL_DIR_PROP, TestModels.testModel().toString());
        System.setProperty(THREADS_PROP, "1");
        System.setProperty(PAIR_CACHE_PROP, "0");
    }

    /** Undoes {@link #setModelProperties()}. */
    static void clearModelProperties() {
        System.clearProperty(MODEL_DIR_PROP);
        System.clearProperty(THREADS_PROP);
        System.clearProperty(PAIR_CACHE_PROP);
    }

    static Path exampleConfigset() {
        return TestModels.repoRoot().resolve("example-configset");
    }

    /** The project's own sample documents (id, url, title, body). */
    static List<Map<String, String>> sampleDocs() throws IOException {
        ObjectMapper om = new ObjectMapper();
        List<Map<String, String>> docs = new ArrayList<>();
        for (String line :
                Files.readAllLines(exampleConfigset().resolve("sample-docs.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                @SuppressWarnings("unchecked")
                Map<String, String> d = om.readValue(line, LinkedHashMap.class);
                docs.add(d);
            }
        }
        return docs;
    }

    static List<SolrInputDocument> inputDocs(List<Map<String, String>> docs) {
        List<SolrInputDocument> out = new ArrayList<>();
        for (Map<String, String> d : docs) {
            SolrInputDocument doc = new SolrInputDocument();
            d.forEach(doc::addField);
            out.add(doc);
        }
        return out;
    }

    /** How the example configset sets the pair-score cache (on, 100,000 entries). */
    static final String PAIR_CACHE_EXAMPLE = "${jareranker.pairCacheSize:100000}";
    /** How {@link #testConf} sets it: off unless a test's core turns it on. */
    static final String PAIR_CACHE_OFF = "${jareranker.pairCacheSize:0}";

    /** The name under which {@link #testConf} registers the model-score transformer a second time. */
    static final String OTHER_TRANSFORMER_NAME = "modelscore";

    /**
     * Copies the example configset's conf/ to {@code target} and adds models for the fallback tests:
     * {@code strict} (timeoutMs=1, failOpen) and {@code strictfail} (the same with failOpen=false),
     * which share one loaded model (equal engine options); {@code busy} and {@code busyfail}, on a
     * one-worker pool that admits one waiting call. Also registers
     * the model-score transformer under a second name, {@link #OTHER_TRANSFORMER_NAME}. The pair-score cache, on in
     * the example configset, is off here ({@link #PAIR_CACHE_OFF}): these tests count the model's work, and the cores
     * that test the cache turn it on by replacing that text.
     */
    static Path testConf(Path target) throws IOException {
        Path src = exampleConfigset().resolve("conf");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dst = target.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        Path solrconfig = target.resolve("solrconfig.xml");
        String xml = Files.readString(solrconfig, StandardCharsets.UTF_8);
        String strict = "<lst name=\"models\">\n"
                + strictModel("strict", true)
                + strictModel("strictfail", false)
                + busyModel("busy", true)
                + busyModel("busyfail", false);
        if (!xml.contains("<lst name=\"models\">")) {
            throw new IllegalStateException("example solrconfig.xml has no <lst name=\"models\">");
        }
        String transformer = "<transformer name=\"jarerank\" "
                + "class=\"io.github.jareranker.solr.CrossEncoderScoreTransformerFactory\"/>";
        if (!xml.contains(transformer)) {
            throw new IllegalStateException("example solrconfig.xml does not register " + transformer);
        }
        String second =
                transformer + "\n  " + transformer.replace("\"jarerank\"", "\"" + OTHER_TRANSFORMER_NAME + "\"");
        if (!xml.contains(PAIR_CACHE_EXAMPLE)) {
            throw new IllegalStateException(
                    "example solrconfig.xml does not set pairCacheSize as " + PAIR_CACHE_EXAMPLE);
        }
        xml = xml.replace("<lst name=\"models\">", strict)
                .replace(transformer, second)
                .replace(PAIR_CACHE_EXAMPLE, PAIR_CACHE_OFF);
        Files.writeString(solrconfig, xml, StandardCharsets.UTF_8);
        return target;
    }

    private static String strictModel(String name, boolean failOpen) {
        return "      <lst name=\"" + name + "\">\n"
                + "        <str name=\"modelDirectory\">${" + MODEL_DIR_PROP + "}</str>\n"
                + "        <int name=\"workers\">1</int>\n"
                + "        <int name=\"maxLength\">512</int>\n"
                + "        <int name=\"maxBatchTokens\">512</int>\n"
                + "        <int name=\"timeoutMs\">1</int>\n"
                + "        <bool name=\"failOpen\">" + failOpen + "</bool>\n"
                + "      </lst>\n";
    }

    /**
     * A model on a pool of one worker that lets one call wait and rejects the rest, one pair per batch
     * (so a call holds the worker a while): more concurrent requests than that overload it.
     */
    private static String busyModel(String name, boolean failOpen) {
        return "      <lst name=\"" + name + "\">\n"
                + "        <str name=\"modelDirectory\">${" + MODEL_DIR_PROP + "}</str>\n"
                + "        <int name=\"workers\">1</int>\n"
                + "        <int name=\"maxQueuedCalls\">1</int>\n"
                + "        <int name=\"maxLength\">512</int>\n"
                + "        <int name=\"maxBatchSize\">1</int>\n"
                + "        <bool name=\"failOpen\">" + failOpen + "</bool>\n"
                + "      </lst>\n";
    }

    /** The model the example configset loads in the tests, for computing expected scores. */
    static CrossEncoder loadReferenceModel() throws IOException {
        return CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .intraOpThreads(1)
                .maxLength(512)
                .build());
    }

    /** A request to {@code handler} of {@code core} (null core: the client's default/collection path). */
    static QueryResponse query(SolrClient client, String core, String handler, String... kv)
            throws SolrServerException, IOException {
        ModifiableSolrParams p = new ModifiableSolrParams();
        for (int i = 0; i < kv.length; i += 2) {
            p.add(kv[i], kv[i + 1]);
        }
        // POST: some tests send long texts.
        QueryRequest req = new QueryRequest(p, org.apache.solr.client.solrj.SolrRequest.METHOD.POST);
        req.setPath(handler);
        return req.process(client, core);
    }

    /** One hit of a response: id, score, originalScore() and [jarerank] (null when absent). */
    record Hit(String id, float score, Float originalScore, Float modelScore) {
        static Hit of(SolrDocument d) {
            Object o = d.getFieldValue("originalScore()");
            Object m = d.getFieldValue("[jarerank]");
            return new Hit(
                    (String) d.getFieldValue("id"),
                    ((Number) d.getFieldValue("score")).floatValue(),
                    o == null ? null : ((Number) o).floatValue(),
                    m == null ? null : ((Number) m).floatValue());
        }

        @Override
        public String toString() {
            return id + "(" + score + ", fp=" + originalScore + ", model=" + modelScore + ")";
        }
    }

    static List<Hit> hits(QueryResponse rsp) {
        List<Hit> out = new ArrayList<>();
        for (SolrDocument d : rsp.getResults()) {
            out.add(Hit.of(d));
        }
        return out;
    }

    static List<String> ids(List<Hit> hits) {
        List<String> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.id()));
        return out;
    }

    /**
     * The expected reranked order: the first {@code reRankDocs} of {@code firstPass} sorted by the
     * engine's score of (query, title + " " + body) descending (ties: first-pass order), then the rest
     * in first-pass order. Returns the ids and, in {@code modelScores}, each reranked id's model score.
     */
    static List<String> expectedOrder(
            CrossEncoder model,
            String queryText,
            List<String> firstPass,
            int reRankDocs,
            Map<String, Map<String, String>> docsById,
            Map<String, Float> modelScores) {
        return expectedOrder(model, queryText, firstPass, reRankDocs, id -> modelText(docsById.get(id)), modelScores);
    }

    /** As above, with the text the model reads for each id given by {@code textOf} (e.g. for reRankFields). */
    static List<String> expectedOrder(
            CrossEncoder model,
            String queryText,
            List<String> firstPass,
            int reRankDocs,
            Function<String, String> textOf,
            Map<String, Float> modelScores) {
        int n = Math.min(reRankDocs, firstPass.size());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add(textOf.apply(firstPass.get(i)));
        }
        float[] scores = model.score(queryText, texts).scores();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
            modelScores.put(firstPass.get(i), scores[i]);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        List<String> out = new ArrayList<>();
        order.forEach(i -> out.add(firstPass.get(i)));
        out.addAll(firstPass.subList(n, firstPass.size()));
        return out;
    }

    /** What the plugin's default fields give the model: the non-empty title and body joined with a space. */
    static String modelText(Map<String, String> doc) {
        StringBuilder text = new StringBuilder();
        for (String field : List.of("title", "body")) {
            String value = doc.get(field);
            if (value != null && !value.isEmpty()) {
                text.append(text.length() > 0 ? " " : "").append(value);
            }
        }
        return text.toString();
    }

    /** Sends a request carrying the rank query {@code rq}. */
    @FunctionalInterface
    interface RankQueryRequest {
        void send(String rq) throws Exception;
    }

    /**
     * For each {@code {rq, expected}} case: sending {@code rq} fails with HTTP 400 whose message contains {@code
     * expected} (the parameter's name, as the plugin reports it).
     */
    static void assertEachIs400Naming(String[][] cases, RankQueryRequest request) {
        for (String[] c : cases) {
            SolrException e = LuceneTestCase.expectThrows(SolrException.class, () -> request.send(c[0]));
            org.junit.Assert.assertEquals(c[0], 400, e.code());
            org.junit.Assert.assertTrue(
                    c[0] + " -> " + e.getMessage(), e.getMessage().contains(c[1]));
        }
    }

    /** The names of {@code list}'s entries, in order. */
    static List<String> names(org.apache.solr.common.util.NamedList<?> list) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(list.getName(i));
        }
        return out;
    }

    static Map<String, Map<String, String>> byId(List<Map<String, String>> docs) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        docs.forEach(d -> m.put(d.get("id"), d));
        return m;
    }
}
