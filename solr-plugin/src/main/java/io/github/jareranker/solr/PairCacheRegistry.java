package io.github.jareranker.solr;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.lucene.PairScoreCache;

/**
 * The JVM-wide pair-score caches, one per {@link ModelFingerprint} (model files' checksums and model
 * identity), shared by every core that uses that model. Reference counted like {@link ModelRegistry}:
 * a core reload takes its lease before the old core returns its own, so the cache survives reloads;
 * it is dropped when the last core using the model closes. Bounded in entries with Caffeine (Solr's
 * own cache library); when cores ask for different sizes the largest applies. Thread-safe.
 */
final class PairCacheRegistry {
    private static final PairCacheRegistry GLOBAL = new PairCacheRegistry();

    private final RefCounted<ModelFingerprint, Entry> caches = new RefCounted<>(e -> e.cache.invalidateAll());

    PairCacheRegistry() {}

    static PairCacheRegistry global() {
        return GLOBAL;
    }

    /** A lease on the cache of {@code encoder}'s model, of at least {@code maxEntries} entries. */
    synchronized Lease acquire(CrossEncoder encoder, long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        ModelFingerprint id = ModelFingerprint.of(encoder);
        Entry e = caches.retain(
                id,
                k -> new Entry(Caffeine.newBuilder()
                        .maximumSize(maxEntries)
                        // Maintenance (eviction) on the calling thread: a put is bounded at once, no pool thread.
                        .executor(Runnable::run)
                        .recordStats()
                        .build()));
        e.cache.policy().eviction().ifPresent(ev -> ev.setMaximum(Math.max(ev.getMaximum(), maxEntries)));
        return new Lease(id, e);
    }

    private synchronized void release(ModelFingerprint id, Entry e) {
        caches.release(id, e);
    }

    /** Number of caches alive in this JVM. */
    synchronized int size() {
        return caches.size();
    }

    private static final class Entry implements PairScoreCache {
        final Cache<Key, Scores> cache;

        Entry(Cache<Key, Scores> cache) {
            this.cache = cache;
        }

        @Override
        public Scores get(Key key) {
            return cache.getIfPresent(key);
        }

        @Override
        public void put(Key key, Scores scores) {
            cache.put(key, scores);
        }
    }

    /** One core's hold on a model's cache. */
    final class Lease implements AutoCloseable {
        private final ModelFingerprint id;
        private final Entry entry;
        private boolean closed;

        private Lease(ModelFingerprint id, Entry entry) {
            this.id = id;
            this.entry = entry;
        }

        PairScoreCache cache() {
            return entry;
        }

        /** Entries evicted for size since the cache was created (JVM-wide). */
        long evictions() {
            return entry.cache.stats().evictionCount();
        }

        /** Entries now held (JVM-wide, approximate). */
        long entries() {
            return entry.cache.estimatedSize();
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(id, entry);
        }
    }
}
