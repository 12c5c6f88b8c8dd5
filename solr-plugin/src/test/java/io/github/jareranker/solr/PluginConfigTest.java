package io.github.jareranker.solr;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.EngineOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.solr.SolrTestCase;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.junit.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Validation of the solrconfig.xml settings: every bad value names its setting. */
public class PluginConfigTest extends SolrTestCase {

    private static NamedList<Object> model(Object... kv) {
        NamedList<Object> m = new NamedList<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.add((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static NamedList<Object> config(NamedList<Object> models, Object... kv) {
        NamedList<Object> c = model(kv);
        if (models != null) {
            c.add("models", models);
        }
        return c;
    }

    private static NamedList<Object> oneModel(Object... kv) {
        NamedList<Object> models = new NamedList<>();
        models.add("ja", model(kv));
        return models;
    }

    private static void assertRejected(NamedList<Object> args, String... expectedInMessage) {
        SolrException e = expectThrows(SolrException.class, () -> PluginConfig.parse(args));
        assertEquals(500, e.code());
        for (String s : expectedInMessage) {
            assertTrue(e.getMessage(), e.getMessage().contains(s));
        }
    }

    /**
     * The example configset is what operators copy: every engine option must be in its model settings as a
     * {@code ${jareranker.KEY:default}} placeholder, so that each can be set with {@code -Djareranker.KEY=...} (and
     * {@code bin/ja-reranker bench-ab}'s engine flags, which set exactly those properties, reach the core).
     */
    @Test
    public void testExampleConfigsetOffersEveryEngineOption() throws Exception {
        Path solrconfig = RerankTestSupport.exampleConfigset().resolve("conf/solrconfig.xml");
        Element root = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(solrconfig.toFile())
                .getDocumentElement();
        Element parser = onlyChild(root, "queryParser", "jarerank");
        Element models = onlyChild(parser, "lst", "models");
        Element ja = onlyChild(models, "lst", "ja");
        Map<String, String> settings = new LinkedHashMap<>();
        for (Node n = ja.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                settings.put(e.getAttribute("name"), e.getTextContent().trim());
            }
        }
        for (EngineOption option : EngineOption.values()) {
            String value = settings.get(option.key());
            assertNotNull(
                    option.key() + " is missing from " + solrconfig + " (settings: " + settings.keySet() + ")", value);
            String property = option == EngineOption.ONNX_FILE ? "jareranker.onnx.file" : "jareranker." + option.key();
            assertTrue(option.key() + " = " + value, value.startsWith("${" + property + ":"));
        }
    }

    /** The one child element of {@code parent} with tag {@code tag} and attribute name {@code name}. */
    private static Element onlyChild(Element parent, String tag, String name) {
        Element found = null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e
                    && e.getTagName().equals(tag)
                    && e.getAttribute("name").equals(name)) {
                assertNull("two <" + tag + " name=\"" + name + "\">", found);
                found = e;
            }
        }
        assertNotNull("no <" + tag + " name=\"" + name + "\"> in <" + parent.getTagName() + ">", found);
        return found;
    }

    @Test
    public void testDefaultsAndResolution() {
        PluginConfig c = PluginConfig.parse(config(oneModel("modelDirectory", "models/x")));
        assertEquals("ja", c.defaultModel());
        assertEquals(RerankParams.MAX_RERANK_DOCS_DEFAULT, c.maxReRankDocs());
        ModelSpec spec = c.models().get("ja");
        assertEquals(List.of("title", "body"), spec.fields());
        assertTrue(spec.failOpen());
        assertEquals(0, spec.timeoutMs());
        Path home = createTempDir();
        CrossEncoderOptions o = spec.options(home);
        assertEquals(
                home.resolve("models/x").toAbsolutePath().normalize().toString(),
                o.modelDirectory().toString());
        assertEquals(Activation.SIGMOID, o.activation());
        assertFalse(
                "maxBatchSize left to the engine (1 for int8 graphs)",
                o.maxBatchSize().isPresent());
        String abs = createTempDir().toAbsolutePath().toString();
        assertEquals(
                abs,
                PluginConfig.parse(config(oneModel("modelDirectory", abs)))
                        .models()
                        .get("ja")
                        .options(home)
                        .modelDirectory()
                        .toString());
    }

    @Test
    public void testValuesAsStringsOrTypedAndEngineOptions() {
        PluginConfig c = PluginConfig.parse(config(
                oneModel(
                        "modelDirectory",
                        "/m",
                        "onnxFile",
                        "onnx/model_qint8_avx2.onnx",
                        "device",
                        "cpu",
                        "intraOpThreads",
                        "2",
                        "workers",
                        3,
                        "maxLength",
                        256,
                        "maxBatchTokens",
                        "2048",
                        "maxBatchSize",
                        8,
                        "truncation",
                        "document_only",
                        "activation",
                        "raw",
                        "fields",
                        "title body",
                        "timeoutMs",
                        "1500",
                        "failOpen",
                        "false"),
                "maxReRankDocs",
                "300"));
        ModelSpec s = c.models().get("ja");
        CrossEncoderOptions o = s.options(Path.of("/"));
        assertEquals("onnx/model_qint8_avx2.onnx", o.onnxFile().orElseThrow());
        assertEquals(2, o.intraOpThreads());
        assertEquals(3, o.workers());
        assertEquals(256, o.maxLength().getAsInt());
        assertEquals(2048, o.maxBatchTokens());
        assertEquals(8, o.maxBatchSize().getAsInt());
        assertEquals(Activation.RAW, o.activation());
        assertEquals(List.of("title", "body"), s.fields());
        assertEquals(1500, s.timeoutMs());
        assertFalse(s.failOpen());
        assertEquals(300, c.maxReRankDocs());
    }

    @Test
    public void testBadSettingsNameTheSetting() {
        assertRejected(config(null), "models", "is required");
        assertRejected(config(oneModel()), "models/ja/modelDirectory", "is required");
        assertRejected(config(oneModel("modelDirectory", "/m", "maxLength", "abc")), "models/ja/maxLength", "'abc'");
        assertRejected(config(oneModel("modelDirectory", "/m", "maxLength", 4)), "models/ja/maxLength", ">= 8");
        assertRejected(config(oneModel("modelDirectory", "/m", "intraOpThreads", -1)), "models/ja/intraOpThreads");
        assertRejected(config(oneModel("modelDirectory", "/m", "workers", -1)), "models/ja/workers", ">= 0");
        assertRejected(
                config(oneModel("modelDirectory", "/m", "threads", 2)),
                "models/ja/threads",
                "renamed",
                "intraOpThreads");
        assertRejected(config(oneModel("modelDirectory", "/m", "maxBatchTokens", 0)), "models/ja/maxBatchTokens");
        assertRejected(config(oneModel("modelDirectory", "/m", "device", "tpu")), "models/ja/device", "cuda:N");
        assertRejected(
                config(oneModel("modelDirectory", "/m", "activation", "softmax")), "models/ja/activation", "sigmoid");
        assertRejected(config(oneModel("modelDirectory", "/m", "truncation", "middle")), "models/ja/truncation");
        assertRejected(config(oneModel("modelDirectory", "/m", "failOpen", "maybe")), "models/ja/failOpen");
        assertRejected(config(oneModel("modelDirectory", "/m", "timeoutMs", "-5")), "models/ja/timeoutMs");
        assertRejected(config(oneModel("modelDirectory", "/m", "fields", " , ")), "models/ja/fields");
        assertRejected(
                config(oneModel("modelDirectory", "/m", "onnxFile", "../../etc/passwd")),
                "onnxFile",
                "inside the model directory");
        assertRejected(
                config(oneModel("modelDirectory", "/m", "modelDir", "/typo")),
                "models/ja/modelDir",
                "not a known model setting");
        assertRejected(config(oneModel("modelDirectory", "/m"), "defaultModel", "en"), "defaultModel", "'en'");
        assertRejected(config(oneModel("modelDirectory", "/m"), "maxReRankDocs", "0"), "maxReRankDocs");
        assertRejected(
                config(oneModel("modelDirectory", "/m"), "maxRerankDocs", "10"),
                "maxRerankDocs",
                "not a known setting");
        NamedList<Object> two = oneModel("modelDirectory", "/m");
        two.add("en", model("modelDirectory", "/n"));
        assertRejected(config(two), "defaultModel", "more than one model");
    }

    @Test
    public void testTailScoresStayBelowAndKeepOrder() {
        float[] firstPass = {-50f, -3f, -0.5f, 0f, 0.1f, 1f, 5.3f, 20f, 1e6f};
        TailScores global = TailScores.global();
        TailScores floor = TailScores.belowFloor(-12.5f);
        float prevG = Float.NEGATIVE_INFINITY;
        float prevF = Float.NEGATIVE_INFINITY;
        for (float fp : firstPass) {
            float g = global.score(fp);
            float f = floor.score(fp);
            assertTrue(g > -2f && g < 0f);
            assertTrue(f < -12.5f && f > -14.5f);
            assertTrue("increasing in the first-pass score", g > prevG && f >= prevF);
            prevG = g;
            prevF = f;
        }
        assertEquals(
                TailScores.Mode.GLOBAL,
                TailScores.modeFor(io.github.jareranker.lucene.CombineOperator.REPLACE, Activation.SIGMOID, 2f));
        assertEquals(
                TailScores.Mode.SHARD_FLOOR,
                TailScores.modeFor(io.github.jareranker.lucene.CombineOperator.ADD, Activation.SIGMOID, 2f));
        assertEquals(
                TailScores.Mode.SHARD_FLOOR,
                TailScores.modeFor(io.github.jareranker.lucene.CombineOperator.REPLACE, Activation.RAW, 2f));
        assertEquals(
                TailScores.Mode.SHARD_FLOOR,
                TailScores.modeFor(io.github.jareranker.lucene.CombineOperator.REPLACE, Activation.SIGMOID, -1f));
        // A floor so large that adding a small number does not change it still yields a lower score.
        assertTrue(TailScores.belowFloor(3e9f).score(1f) < 3e9f);
    }
}
