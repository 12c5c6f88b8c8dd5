package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.lucene.PairScoreCache;
import io.github.jareranker.testing.TestModels;
import org.apache.solr.SolrTestCase;
import org.junit.Test;

/** The JVM-wide pair-score caches: shared per model identity, bounded, kept while a core holds them. */
public class PairCacheRegistryTest extends SolrTestCase {

    @Test
    public void testSharedPerModelBoundedAndDroppedWithTheLastLease() throws Exception {
        PairCacheRegistry registry = new PairCacheRegistry();
        try (CrossEncoder sigmoid = CrossEncoder.load(
                        CrossEncoderOptions.builder(TestModels.testModel()).build());
                CrossEncoder raw = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                        .activation(io.github.jareranker.encoder.Activation.RAW)
                        .build())) {
            PairCacheRegistry.Lease a = registry.acquire(sigmoid, 3);
            PairCacheRegistry.Lease b = registry.acquire(sigmoid, 2); // a reload of the same core
            PairCacheRegistry.Lease other = registry.acquire(raw, 3);
            assertEquals("one cache per model identity (engine options included)", 2, registry.size());
            PairScoreCache.Key k = PairScoreCache.Key.of("送料", "doc-1", "送料は無料です");
            a.cache().put(k, new PairScoreCache.Scores(0.25f, -1.1f));
            assertEquals(new PairScoreCache.Scores(0.25f, -1.1f), b.cache().get(k));
            assertNull("another model's cache does not see it", other.cache().get(k));
            assertNull("changed text, changed key", b.cache().get(PairScoreCache.Key.of("送料", "doc-1", "送料は有料です")));
            for (int i = 0; i < 10; i++) {
                a.cache().put(PairScoreCache.Key.of("q", "d" + i, "t"), new PairScoreCache.Scores(i, i));
            }
            assertEquals("the largest requested size applies", 3, a.entries());
            assertEquals(8, a.evictions());
            a.close();
            assertEquals("b still holds it", 2, registry.size());
            b.close();
            other.close();
            assertEquals(0, registry.size());
        }
    }
}
