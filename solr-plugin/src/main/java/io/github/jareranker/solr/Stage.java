package io.github.jareranker.solr;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.lucene.PairScoreCache;
import java.util.Objects;

/**
 * One model's pass of a request: the configured model's name, its leased encoder (not owned here: the parser's
 * lease keeps it open) and its pair-score cache binding ({@code null} when the cache is off or bypassed). A request
 * has one stage, or two for a cascade.
 */
record Stage(String modelName, CrossEncoder encoder, PairScoreCache.Binding pairCache) {
    Stage {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(encoder, "encoder");
    }
}
