package io.github.jareranker.passage;

import java.util.List;

/**
 * Measures text in a model's tokens: {@link io.github.jareranker.encoder.CrossEncoder#tokenEnds} in
 * production, simpler meters in tests.
 */
@FunctionalInterface
public interface TokenMeter {
    /**
     * @return per text, the UTF-16 index just past each of its tokens (no special tokens), in order;
     *     a meter may stop reporting after a cap above any budget it is used with
     */
    int[][] tokenEnds(List<String> texts);
}
