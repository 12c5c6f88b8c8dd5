package io.github.jareranker.encoder;

import java.nio.file.Path;

/**
 * Which graph an encoder runs: the model's ONNX file as it is, or the fused rewrite the engine made of it, verified
 * against it ({@link CrossEncoderOptions#optimizeGraph()}).
 *
 * @param fused whether the fused rewrite runs
 * @param file the file ONNX Runtime loaded (the cached fused file, or the model's own file)
 * @param detail why: the fusions and the verification that passed, or the reason the original runs
 * @param prepareMillis milliseconds spent choosing, in this load: rewriting and verifying on a first load, hashing and
 *     reading the cache afterwards (0 when optimization is off)
 * @param cached whether the decision came from the cache beside the model (a previous load made it)
 */
public record GraphChoice(boolean fused, Path file, String detail, long prepareMillis, boolean cached) {
    /**
     * The folder of a model directory where the engine caches its fused files and its decisions about them; deleting
     * it makes the next load rewrite and verify again.
     */
    public static final String CACHE_DIRECTORY = ".ja-reranker";

    @Override
    public String toString() {
        return (fused ? "fused graph " : "original graph ") + file + " (" + detail + "; " + prepareMillis + " ms"
                + (cached ? ", cached" : "") + ")";
    }
}
