package io.github.jareranker.lucene;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Model scores of (query, document) pairs kept between requests, consulted by {@link
 * CrossEncoderRescorer} before it runs the model. An implementation holds the scores of <b>one</b>
 * model (identified by the model files' checksums and the engine options; a different model needs a
 * different cache), so the model identity is the cache's and the {@link Key} holds the rest: the
 * query text exactly as the model reads it, the document's identity and a 128-bit hash of the exact
 * text the model read for it. A document whose text changed therefore never meets its old score.
 *
 * <p>Because the engine's scores do not depend on batch mates, a score served from the cache is
 * bit-identical to the one the model would compute now. Implementations must be thread-safe and
 * bounded.
 */
public interface PairScoreCache {
    /** The cached scores of {@code key}, or null. */
    Scores get(Key key);

    /** Remembers the scores of {@code key}. */
    void put(Key key, Scores scores);

    /** A model's score (after the activation) and logit. */
    record Scores(float score, float logit) {}

    /**
     * The identity of one pair within one model's cache.
     *
     * @param query the query text as the model reads it (no further normalization: any, e.g. NFKC or
     *     case folding, could change the model's input and so its score)
     * @param docKey the document's identity, e.g. its unique key
     * @param textHashHigh first 64 bits of the SHA-256 of the document text (UTF-8)
     * @param textHashLow next 64 bits
     */
    record Key(String query, String docKey, long textHashHigh, long textHashLow) {
        public Key {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(docKey, "docKey");
        }

        /** The key of (query, document {@code docKey} whose text the model reads is {@code text}). */
        public static Key of(String query, String docKey, String text) {
            byte[] h;
            try {
                h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (h[i] & 0xff);
                lo = (lo << 8) | (h[8 + i] & 0xff);
            }
            return new Key(query, docKey, hi, lo);
        }

        /** Approximate heap bytes of this key, for caches sized in bytes. */
        public int weight() {
            return 64 + 2 * (query.length() + docKey.length());
        }
    }

    /**
     * A cache bound to where a rescorer finds each hit's identity.
     *
     * @param cache the model's cache
     * @param docKeyField the stored field whose value identifies a document (Solr: the uniqueKey); a hit
     *     without a value is scored by the model and not cached
     * @param listener told how many of a rescoring call's pairs were served from the cache
     */
    record Binding(PairScoreCache cache, String docKeyField, Listener listener) {
        public Binding {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(docKeyField, "docKeyField");
            Objects.requireNonNull(listener, "listener");
        }
    }

    /** Receives the cache's hit and miss counts of each rescoring call. */
    interface Listener {
        void looked(int hits, int misses);
    }
}
