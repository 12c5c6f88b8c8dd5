package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.TestModels;
import java.util.List;
import org.apache.solr.SolrTestCase;
import org.junit.Test;

/**
 * One loaded model per identity and session settings: options that differ only in how calls run (workers, queue
 * limits, batch sizes) share the loaded model and its pair cache, counted by the registries themselves.
 */
public class ModelRegistryTest extends SolrTestCase {
    private static final List<String> DOCS = List.of("送料は全国一律500円です。", "返品は7日以内に申請してください。");

    @Test
    public void testAWorkersChangeSharesTheLoadedModelAndItsPairCache() throws Exception {
        ModelRegistry registry = new ModelRegistry();
        PairCacheRegistry caches = new PairCacheRegistry();
        CrossEncoderOptions one =
                CrossEncoderOptions.builder(TestModels.testModel()).workers(1).build();
        CrossEncoderOptions two = one.toBuilder().workers(2).maxQueuedCalls(8).build();
        CrossEncoderOptions otherThreads = one.toBuilder().intraOpThreads(2).build();

        ModelRegistry.Lease a = registry.acquire(one);
        ModelRegistry.Lease b = registry.acquire(two);
        assertEquals("loaded once", 1, registry.totalLoads());
        assertEquals(1, registry.totalShares());
        assertEquals(1, registry.loadedModels());
        assertEquals("an encoder per run settings", 2, registry.openEncoders());
        assertEquals("each on a pool of its own settings", 2, registry.activePools());
        assertEquals(1, a.encoder().pool().settings().workers());
        assertEquals(2, b.encoder().pool().settings().workers());
        float[] fromA = a.encoder().score("送料", DOCS).logits();
        assertArrayEquals(fromA, b.encoder().score("送料", DOCS).logits(), 0f);

        PairCacheRegistry.Lease cacheA = caches.acquire(a.encoder(), 10);
        PairCacheRegistry.Lease cacheB = caches.acquire(b.encoder(), 10);
        assertEquals("one pair cache for the model, whatever the workers", 1, caches.size());

        ModelRegistry.Lease reload = registry.acquire(one); // a core reload of the first core
        assertSame(a.encoder(), reload.encoder());
        assertEquals(2, registry.references(one));
        assertEquals(1, registry.totalLoads());

        ModelRegistry.Lease c = registry.acquire(otherThreads);
        assertEquals("other ONNX Runtime threads make another session", 2, registry.totalLoads());
        assertEquals(2, registry.loadedModels());
        PairCacheRegistry.Lease cacheC = caches.acquire(c.encoder(), 10);
        assertEquals("threads do not change what a pair scores: the same cache", 1, caches.size());

        a.close();
        reload.close();
        assertEquals(0, registry.references(one));
        assertArrayEquals(
                "the sharer keeps scoring after the loader closed",
                fromA,
                b.encoder().score("送料", DOCS).logits(),
                0f);
        b.close();
        assertEquals(1, registry.loadedModels());
        c.close();
        assertEquals(0, registry.loadedModels());
        assertEquals(0, registry.openEncoders());
        assertEquals(0, registry.activePools());
        cacheA.close();
        cacheB.close();
        cacheC.close();
        assertEquals(0, caches.size());
    }

    @Test
    public void testOptionsThatChangeWhatIsLoadedAreNotShared() throws Exception {
        CrossEncoderOptions fused =
                CrossEncoderOptions.builder(TestModels.testModel()).workers(1).build();
        CrossEncoderOptions asIs = fused.toBuilder().optimizeGraph(false).build();
        assertNotEquals(fused.identity(), asIs.identity());
        assertEquals(
                fused.identity(),
                fused.toBuilder().workers(3).intraOpThreads(2).build().identity());
        ModelRegistry registry = new ModelRegistry();
        try (ModelRegistry.Lease a = registry.acquire(fused);
                ModelRegistry.Lease b = registry.acquire(asIs)) {
            assertEquals(2, registry.totalLoads());
            assertEquals(0, registry.totalShares());
            IllegalArgumentException e = expectThrows(
                    IllegalArgumentException.class, () -> a.encoder().share(asIs, null));
            assertTrue(e.getMessage(), e.getMessage().contains("optimizeGraph=false"));
        }
    }
}
