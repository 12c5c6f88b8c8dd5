package io.github.jareranker.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks that a rewritten graph scores like the original: both score the same query/document lists one pair per run
 * (no padding, as CPU scoring runs them) and the logits must agree within the float32 tolerance, or, for a graph that
 * quantizes activations dynamically, within the int8 tolerance with nearly all pairs ({@value #INT8_CLOSE_SHARE})
 * within {@value #INT8_CLOSE}, as the golden int8 test demands (one activation rounding flip can move a pair of a
 * random-weight model by up to ~0.1).
 *
 * <p>{@link #builtIn()} is what the engine verifies its own fused graph with at load ({@link CrossEncoderOptions#
 * optimizeGraph()}): Japanese pairs from a few tokens up to past 512, so that both the global and the sliding-window
 * (±64 tokens) attention of ModernBERT are exercised. Immutable and thread-safe.
 */
public final class GraphVerifier {
    /** Share of pairs an int8 graph must reproduce within {@link #INT8_CLOSE}. */
    public static final double INT8_CLOSE_SHARE = 0.9;

    /** The closeness most int8 pairs must reach. */
    public static final double INT8_CLOSE = 1e-3;

    /** Largest logit change accepted for a float32 graph (the golden reference tests' tolerance). */
    public static final double FP32_TOLERANCE = 1e-4;

    /** Largest logit change accepted for a dynamic-int8 graph (the golden int8 reference tests' tolerance). */
    public static final double INT8_TOLERANCE = 0.25;

    private final List<Query> queries;
    private final double fp32Tolerance;
    private final double int8Tolerance;

    /** One query and its documents. */
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
     * @param maxAbsDiff largest |original − rewritten| logit difference
     * @param closeShare share of pairs within {@link #INT8_CLOSE}
     * @param tolerance the tolerance applied to {@code maxAbsDiff}
     * @param passed whether the rewritten graph is accepted
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

    /** Scores one query's documents with one graph; logits in document order. */
    @FunctionalInterface
    interface LogitSource {
        float[] logits(String query, List<String> documents) throws ModelLoadException;
    }

    public GraphVerifier(List<Query> queries, double fp32Tolerance, double int8Tolerance) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no queries to verify with");
        }
        this.queries = List.copyOf(queries);
        this.fp32Tolerance = fp32Tolerance;
        this.int8Tolerance = int8Tolerance;
    }

    /** The engine's own pairs and tolerances ({@link #FP32_TOLERANCE}, {@link #INT8_TOLERANCE}). */
    public static GraphVerifier builtIn() {
        return new GraphVerifier(VerificationPairs.QUERIES, FP32_TOLERANCE, INT8_TOLERANCE);
    }

    /** The same queries with other tolerances. */
    public GraphVerifier withTolerances(double fp32, double int8) {
        return new GraphVerifier(queries, fp32, int8);
    }

    /**
     * The golden scoring queries and tolerances of a test-model reference.json ({@code
     * scoring.queries[].query/documents[].document}, {@code scoring.fp32_tolerance}, {@code scoring.int8_tolerance}).
     */
    public static GraphVerifier fromReference(Path referenceJson) throws IOException {
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
        return new GraphVerifier(
                queries,
                scoring.path("fp32_tolerance").asDouble(),
                scoring.path("int8_tolerance").asDouble());
    }

    /**
     * Scores every pair with {@code modelDir/originalOnnx} and {@code modelDir/rewrittenOnnx}, each loaded as given
     * (no graph optimization, one worker, one thread), and compares the logits.
     *
     * @throws ModelLoadException if either file does not load
     */
    public Result verify(Path modelDir, String originalOnnx, String rewrittenOnnx) throws ModelLoadException {
        try (CrossEncoder original = loadAsIs(modelDir, originalOnnx);
                CrossEncoder rewritten = loadAsIs(modelDir, rewrittenOnnx)) {
            return compare(
                    original.info().dynamicallyQuantized(),
                    (q, d) -> original.score(q, d).logits(),
                    (q, d) -> rewritten.score(q, d).logits());
        }
    }

    /** Compares two graphs pair by pair; {@code quantized}: the original quantizes activations dynamically. */
    Result compare(boolean quantized, LogitSource original, LogitSource rewritten) throws ModelLoadException {
        double max = 0;
        int close = 0;
        int pairs = 0;
        for (Query q : queries) {
            float[] a = original.logits(q.query(), q.documents());
            float[] b = rewritten.logits(q.query(), q.documents());
            for (int i = 0; i < q.documents().size(); i++) {
                double d = Math.abs((double) a[i] - b[i]);
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

    private static CrossEncoder loadAsIs(Path dir, String onnx) throws ModelLoadException {
        return CrossEncoder.load(CrossEncoderOptions.builder(dir)
                .onnxFile(onnx)
                .optimizeGraph(false)
                .workers(1)
                .intraOpThreads(1)
                .build());
    }
}
