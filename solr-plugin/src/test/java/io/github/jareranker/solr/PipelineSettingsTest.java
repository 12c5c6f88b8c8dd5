package io.github.jareranker.solr;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.lucene.CombineOperator;
import org.apache.solr.SolrTestCase;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.junit.Test;

/** The pipeline settings of solrconfig.xml and their request overrides: bad values name the setting. */
public class PipelineSettingsTest extends SolrTestCase {

    private static NamedList<Object> config(Object... kv) {
        NamedList<Object> c = new NamedList<>();
        for (int i = 0; i < kv.length; i += 2) {
            c.add((String) kv[i], kv[i + 1]);
        }
        NamedList<Object> model = new NamedList<>();
        model.add("modelDirectory", "models/x");
        NamedList<Object> models = new NamedList<>();
        models.add("ja", model);
        c.add("models", models);
        return c;
    }

    private static void assertRejected(NamedList<Object> args, String setting) {
        SolrException e = expectThrows(SolrException.class, () -> PluginConfig.parse(args));
        assertEquals(500, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(setting));
    }

    @Test
    public void testDefaultsAndOverrides() {
        PluginConfig defaults = PluginConfig.parse(config());
        ModifiableSolrParams none = new ModifiableSolrParams();
        assertEquals(60, defaults.rrfK(none));
        assertEquals(0, defaults.maxPairs(none));
        assertTrue(defaults.skipQueryPattern().isEmpty());

        PluginConfig c = PluginConfig.parse(config("reRankRrfK", 10, "maxPairs", "30", "skipQueryPattern", "[0-9]+"));
        assertEquals(10, c.rrfK(none));
        assertEquals(30, c.maxPairs(none));
        assertEquals("[0-9]+", c.skipQueryPattern().get().pattern());
        ModifiableSolrParams request = new ModifiableSolrParams();
        request.set("reRankRrfK", "0");
        request.set("maxPairs", "5");
        assertEquals(0, c.rrfK(request));
        assertEquals(5, c.maxPairs(request));
        request.set("maxPairs", "-5");
        SolrException e = expectThrows(SolrException.class, () -> c.maxPairs(request));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("maxPairs"));
    }

    @Test
    public void testBadSettingsFailTheCoreLoadNamingTheSetting() {
        assertRejected(config("reRankRrfK", -1), "reRankRrfK");
        assertRejected(config("reRankRrfK", "sixty"), "reRankRrfK");
        assertRejected(config("maxPairs", "-2"), "maxPairs");
        assertRejected(config("skipQueryPattern", "[unclosed"), "skipQueryPattern");
        assertRejected(config("pairCacheSize", "-1"), "pairCacheSize");
        assertRejected(config("pairCacheSize", 10, "pairCacheSize", 20), "pairCacheSize");
    }

    @Test
    public void testFusedScoresAreNonNegativeSoTailScoresAreGlobal() {
        assertEquals(TailScores.Mode.GLOBAL, TailScores.modeFor(CombineOperator.RRF, Activation.RAW, 1f));
        assertEquals(TailScores.Mode.GLOBAL, TailScores.modeFor(CombineOperator.MINMAX, Activation.RAW, 0f));
        assertEquals(TailScores.Mode.SHARD_FLOOR, TailScores.modeFor(CombineOperator.MINMAX, Activation.RAW, -1f));
    }
}
