package io.github.jareranker.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A ModernBERT cross-encoder's dimensions (from the model directory's config.json) and the useful
 * arithmetic of scoring pairs with it.
 *
 * @param layers transformer layers
 * @param hidden hidden size H
 * @param intermediate MLP intermediate size I (GeGLU: the input projection is H x 2I)
 */
record ModelShape(int layers, int hidden, int intermediate) {
    /** The shape in {@code modelDir}/config.json, or null when there is none. */
    static ModelShape read(Path modelDir) throws IOException {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return null;
        }
        JsonNode c = new ObjectMapper().readTree(config.toFile());
        return new ModelShape(
                c.path("num_hidden_layers").asInt(),
                c.path("hidden_size").asInt(),
                c.path("intermediate_size").asInt());
    }

    /**
     * Useful operations for pairs whose lengths sum to {@code sumLengths} and whose squared lengths
     * sum to {@code sumSquares}, real tokens only: {linear layers, attention}. Per layer and token the
     * linear layers do 2·(4H² + 3HI) operations (Wqkv 3H², Wo H², GeGLU in 2HI, out IH); attention does
     * 4·H·S² per pair of length S (QKᵀ and attention·V over the full length, as ONNX Runtime computes
     * local layers too). The classifier head is negligible.
     */
    double[] work(double sumLengths, double sumSquares) {
        double h = hidden;
        double linear = layers * 2.0 * (4 * h * h + 3 * h * intermediate) * sumLengths;
        double attention = layers * 4.0 * h * sumSquares;
        return new double[] {linear, attention};
    }
}
