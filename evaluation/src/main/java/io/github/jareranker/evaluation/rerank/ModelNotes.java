package io.github.jareranker.evaluation.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What evaluation output must say about a model directory. */
public final class ModelNotes {
    /** The caveat printed with figures from a random-weight model. */
    public static final String RANDOM_WEIGHTS_CAVEAT =
            "NOTE: the model has RANDOM WEIGHTS (a test model): its reranked figures are meaningless for"
                    + " quality and are shown only to prove that the pipeline runs end to end.";

    private ModelNotes() {}

    /**
     * Whether {@code modelDir/config.json} declares {@code "random_weights": true} (the committed
     * test models do). An unreadable or absent config.json is not a random-weight marker.
     */
    public static boolean isRandomWeights(Path modelDir) {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(config.toFile());
            return n.path("random_weights").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
