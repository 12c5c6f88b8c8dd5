package io.github.jareranker.optimizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ModelLoadException;
import io.github.jareranker.encoder.ScoredPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks that an optimized graph scores like the original: both files are loaded through the
 * project's engine ({@link CrossEncoder}, single-threaded) from the same model directory and score
 * the same golden query/document lists; the logits must agree within the fp32 tolerance, or for a
 * dynamically quantized graph within the int8 tolerance with nearly all pairs (90 %) within 1e-3, as
 * the golden int8 test demands (one activation rounding flip can move a pair of a random-weight
 * model by up to ~0.1).
 */
public final class OptimizationVerifier {
    /** Share of pairs an int8 graph must reproduce within {@link #INT8_CLOSE}. */
    public static final double INT8_CLOSE_SHARE = 0.9;

    public static final double INT8_CLOSE = 1e-3;

    private final List<Query> queries;
    private final double fp32Tolerance;
    private final double int8Tolerance;

    /** One golden query and its documents. */
    public record Query(String query, List<String> documents) {
        public Query {
            documents = List.copyOf(documents);
        }
    }

    /**
     * Outcome of one comparison.
     *
     * @param pairs pairs scored by both graphs
     * @param quantized whether the original graph quantizes activations dynamically
     * @param maxAbsDiff largest |original − optimized| logit difference
     * @param closeShare share of pairs within {@link #INT8_CLOSE}
     * @param tolerance the tolerance applied to {@code maxAbsDiff}
     * @param passed whether the optimized graph is accepted
     */
    public record Result(
            int pairs, boolean quantized, double maxAbsDiff, double closeShare, double tolerance, boolean passed) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s: %d pairs, %s, max |Δlogit| %.3g (tolerance %.3g), %.1f %% within %.0e",
                    passed ? "PASSED" : "FAILED",
                    pairs,
                    quantized ? "dynamic int8" : "fp32",
                    maxAbsDiff,
                    tolerance,
                    100 * closeShare,
                    INT8_CLOSE);
        }
    }

    public OptimizationVerifier(List<Query> queries, double fp32Tolerance, double int8Tolerance) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no golden queries to verify with");
        }
        this.queries = List.copyOf(queries);
        this.fp32Tolerance = fp32Tolerance;
        this.int8Tolerance = int8Tolerance;
    }

    /** The same golden queries with other tolerances. */
    public OptimizationVerifier withTolerances(double fp32, double int8) {
        return new OptimizationVerifier(queries, fp32, int8);
    }

    /**
     * The golden scoring queries and tolerances of a test-model reference.json ({@code
     * scoring.queries[].query/documents[].document}, {@code scoring.fp32_tolerance}, {@code
     * scoring.int8_tolerance}).
     */
    public static OptimizationVerifier fromReference(Path referenceJson) throws IOException {
        JsonNode scoring = new ObjectMapper().readTree(referenceJson.toFile()).path("scoring");
        List<Query> queries = new ArrayList<>();
        for (JsonNode q : scoring.path("queries")) {
            List<String> docs = new ArrayList<>();
            for (JsonNode d : q.path("documents")) {
                docs.add(d.path("document").asText());
            }
            queries.add(new Query(q.path("query").asText(), docs));
        }
        if (!scoring.path("fp32_tolerance").isNumber()
                || !scoring.path("int8_tolerance").isNumber()) {
            throw new IOException(referenceJson + " has no scoring.fp32_tolerance / scoring.int8_tolerance");
        }
        return new OptimizationVerifier(
                queries,
                scoring.path("fp32_tolerance").asDouble(),
                scoring.path("int8_tolerance").asDouble());
    }

    /**
     * Scores every golden pair with {@code modelDir/originalOnnx} and {@code modelDir/optimizedOnnx}
     * and compares the logits.
     *
     * @throws ModelLoadException if either file does not load in the engine
     */
    public Result verify(Path modelDir, String originalOnnx, String optimizedOnnx) throws ModelLoadException {
        try (CrossEncoder original = load(modelDir, originalOnnx);
                CrossEncoder optimized = load(modelDir, optimizedOnnx)) {
            boolean quantized = original.info().dynamicallyQuantized();
            double max = 0;
            int close = 0;
            int pairs = 0;
            for (Query q : queries) {
                ScoredPairs a = original.score(q.query(), q.documents());
                ScoredPairs b = optimized.score(q.query(), q.documents());
                for (int i = 0; i < q.documents().size(); i++) {
                    double d = Math.abs((double) a.logit(i) - b.logit(i));
                    max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
                    close += d <= INT8_CLOSE ? 1 : 0;
                    pairs++;
                }
            }
            double share = (double) close / pairs;
            double tolerance = quantized ? int8Tolerance : fp32Tolerance;
            boolean passed = max <= tolerance && (!quantized || share >= INT8_CLOSE_SHARE);
            return new Result(pairs, quantized, max, share, tolerance, passed);
        }
    }

    private static CrossEncoder load(Path dir, String onnx) throws ModelLoadException {
        return CrossEncoder.load(CrossEncoderOptions.builder(dir)
                .onnxFile(onnx)
                .intraOpThreads(1)
                .build());
    }
}
