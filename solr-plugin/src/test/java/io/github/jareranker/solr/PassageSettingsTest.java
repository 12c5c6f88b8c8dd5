package io.github.jareranker.solr;

import io.github.jareranker.passage.PassageAggregation;
import io.github.jareranker.passage.PassageOptions;
import java.util.Optional;
import org.apache.solr.SolrTestCase;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.junit.Test;

/** Passage settings: solrconfig defaults validated at load, request overrides, the pair cap. */
public class PassageSettingsTest extends SolrTestCase {
    private static ModelSpec spec(Object... kv) {
        NamedList<Object> m = new NamedList<>();
        m.add("modelDirectory", "models/x");
        for (int i = 0; i < kv.length; i += 2) {
            m.add((String) kv[i], kv[i + 1]);
        }
        return ModelSpec.parse("ja", m);
    }

    private static ModifiableSolrParams params(String... kv) {
        ModifiableSolrParams p = new ModifiableSolrParams();
        for (int i = 0; i < kv.length; i += 2) {
            p.add(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    public void testOffByDefaultAndOnPerRequest() {
        PassageSettings s = spec().passages();
        assertEquals(Optional.empty(), s.forRequest(params(), 100));
        PassageOptions o = s.forRequest(params("passages", "max"), 100).orElseThrow();
        assertEquals(PassageAggregation.MAX, o.aggregation());
        assertEquals(8, o.maxPassages());
        assertEquals(0, o.passageTokens());
        assertTrue(o.prependTitle());
        o = s.forRequest(
                        params(
                                "passages",
                                "meanTopK",
                                "passageTopK",
                                "2",
                                "maxPassages",
                                "4",
                                "passageTokens",
                                "256",
                                "passageTitle",
                                "false"),
                        100)
                .orElseThrow();
        assertEquals(PassageAggregation.MEAN_TOP_K, o.aggregation());
        assertEquals(2, o.topK());
        assertEquals(4, o.maxPassages());
        assertEquals(256, o.passageTokens());
        assertFalse(o.prependTitle());
    }

    @Test
    public void testModelDefaultsAndPassagesNone() {
        PassageSettings s = spec(
                        "passages", "first", "maxPassages", "3", "passageOverlap", "0", "maxDocumentChars", "5000")
                .passages();
        PassageOptions o = s.forRequest(params(), 10).orElseThrow();
        assertEquals(PassageAggregation.FIRST, o.aggregation());
        assertEquals(3, o.maxPassages());
        assertEquals(0, o.overlapSentences());
        assertEquals(5000, o.maxDocumentChars());
        assertEquals(Optional.empty(), s.forRequest(params("passages", "none"), 10));
    }

    @Test
    public void testThePairCapCountsPassagesTimesReRankDocs() {
        PassageSettings s = spec("maxPassagePairs", "100").passages();
        assertTrue(
                s.forRequest(params("passages", "max", "maxPassages", "10"), 10).isPresent());
        assertBadRequest("maxPassages", () -> s.forRequest(params("passages", "max", "maxPassages", "10"), 11));
        // FirstP scores one passage per hit whatever maxPassages says
        assertTrue(s.forRequest(params("passages", "first", "maxPassages", "10"), 100)
                .isPresent());
        // the default (4000) with the default maxPassages (8) admits reRankDocs 500, not 501
        PassageSettings d = spec().passages();
        assertTrue(d.forRequest(params("passages", "max"), 500).isPresent());
        assertBadRequest("maxPassages", () -> d.forRequest(params("passages", "max"), 501));
    }

    @Test
    public void testBadRequestValuesNameTheParameter() {
        PassageSettings s = spec().passages();
        assertBadRequest("passages", () -> s.forRequest(params("passages", "maxp"), 10));
        assertBadRequest("maxPassages", () -> s.forRequest(params("passages", "max", "maxPassages", "-1"), 10));
        assertBadRequest("passageTokens", () -> s.forRequest(params("passages", "max", "passageTokens", "31"), 10));
        assertBadRequest("passageTopK", () -> s.forRequest(params("passages", "meanTopK", "passageTopK", "0"), 10));
        assertBadRequest("passageTitle", () -> s.forRequest(params("passages", "max", "passageTitle", "yes"), 10));
    }

    @Test
    public void testBadConfigurationFailsTheLoadNamingTheSetting() {
        assertConfigRejected("models/ja/passages", "passages", "maxp");
        assertConfigRejected("models/ja/maxPassages", "maxPassages", "0");
        assertConfigRejected("models/ja/passageTokens", "passageTokens", "16");
        assertConfigRejected("models/ja/maxPassagePairs", "maxPassagePairs", "lots");
        assertConfigRejected("models/ja/passageTitle", "passageTitle", "maybe");
        assertNotEquals(spec().passages(), spec("maxPassages", "4").passages());
        assertEquals(spec("passages", "max"), spec("passages", "max"));
    }

    private static void assertBadRequest(String param, Runnable r) {
        SolrException e = expectThrows(SolrException.class, r::run);
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().startsWith("jarerank: " + param + ":"));
    }

    private static void assertConfigRejected(String path, String key, String value) {
        ConfigException e = expectThrows(ConfigException.class, () -> spec(key, value));
        assertTrue(e.getMessage(), e.getMessage().contains(path));
    }
}
