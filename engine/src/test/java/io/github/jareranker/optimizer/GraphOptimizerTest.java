package io.github.jareranker.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.GraphVerifier;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.testing.CpuFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optimizes the committed test models (fp32 and dynamic int8) and checks that the fusions happened
 * and that the optimized files reproduce models/test-model/reference.json through the engine: fp32
 * within the reference's fp32 tolerance of PyTorch eager, int8 within its int8 tolerance of the
 * numpy interpretation of the int8 graph (90 % of pairs within 1e-3, as GoldenReferenceTest asks).
 */
class GraphOptimizerTest {
    private static final Path TEST_MODEL = repoRoot().resolve("models/test-model");
    private static JsonNode reference;
    private static int layers;

    @TempDir
    static Path dir;

    @BeforeAll
    static void copyTokenizer() throws Exception {
        reference =
                new ObjectMapper().readTree(TEST_MODEL.resolve("reference.json").toFile());
        layers = reference.path("model").path("num_hidden_layers").asInt();
        assertThat(layers).isPositive();
        Files.copy(TEST_MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    }

    @Test
    void fp32GraphIsFusedAndMatchesPyTorch() throws Exception {
        OptimizationReport report =
                GraphOptimizer.optimize(TEST_MODEL.resolve("model.onnx"), dir.resolve("model_fused.onnx"));
        assertFused(report);
        assertThat(report.opsAfter()).doesNotContainKeys("Softmax", "Sin", "Cos", "Neg");
        // only the projections (Wi split in two halves) and the head's dense remain MatMuls
        assertThat(report.opsAfter().get("MatMul")).isEqualTo(5 * layers + 1);
        // the last layer's Wo, both Wi halves and Wo2 run on the pooled row only
        assertThat(report.fused("last layer on the pooled row only")).isEqualTo(4);
        assertGolden(
                "model_fused.onnx",
                "logit",
                reference.path("scoring").path("fp32_tolerance").asDouble(),
                1.0);
        GraphVerifier.Result r = GraphVerifier.fromReference(TEST_MODEL.resolve("reference.json"))
                .verify(copyOriginal("model.onnx"), "model.onnx", "model_fused.onnx");
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(r.maxAbsDiff()).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void int8GraphIsFusedAndMatchesTheInt8Reference() throws Exception {
        OptimizationReport report = GraphOptimizer.optimize(
                TEST_MODEL.resolve("onnx/model_qint8_avx2.onnx"), dir.resolve("onnx/model_qint8_fused.onnx"));
        assertFused(report);
        // the int8 projections stay in the standard form that ONNX Runtime fuses into
        // DynamicQuantizeMatMul; each layer's Wi is now two half-width projections
        assertThat(report.opsAfter().get("MatMulInteger"))
                .isEqualTo(report.opsBefore().get("MatMulInteger") + layers);
        assertThat(report.opsAfter().get("DynamicQuantizeLinear"))
                .isEqualTo(report.opsBefore().get("DynamicQuantizeLinear") + layers);
        assertThat(report.opsAfter()).doesNotContainKeys("Softmax", "MatMul");
        // dynamic quantization spans all rows, so pruning to the pooled row would change the scales
        assertThat(report.fused("last layer on the pooled row only")).isZero();
        CpuFeatures.assumeExactInt8();
        assertGolden(
                "onnx/model_qint8_fused.onnx",
                "logit_int8",
                reference.path("scoring").path("int8_tolerance").asDouble(),
                0.9);
        GraphVerifier.Result r = GraphVerifier.fromReference(TEST_MODEL.resolve("reference.json"))
                .verify(
                        copyOriginal("onnx/model_qint8_avx2.onnx"),
                        "onnx/model_qint8_avx2.onnx",
                        "onnx/model_qint8_fused.onnx");
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    @Test
    void optimizingAnOptimizedGraphAgainFindsNothingToFuse() throws Exception {
        Path once = dir.resolve("once.onnx");
        Path twice = dir.resolve("twice.onnx");
        OptimizationReport first = GraphOptimizer.optimize(TEST_MODEL.resolve("model.onnx"), once);
        OptimizationReport second = GraphOptimizer.optimize(once, twice);
        assertThat(second.fusions().values()).containsOnly(0);
        assertThat(second.nodesAfter()).isEqualTo(first.nodesAfter());
        assertThat(second.opsAfter()).isEqualTo(first.opsAfter());
    }

    @Test
    void unpaddedRunsDropTheGlobalLayersPaddingBiasAndScoreAlikeButPaddedBatchesWouldNot() throws Exception {
        Path d = copyOriginal("model.onnx");
        Path out = d.resolve("model_unpadded.onnx");
        OptimizationReport report = GraphOptimizer.create(
                        GraphOptimizer.DEFAULT_MAX_POSITIONS, GraphOptimizer.forUnpaddedRuns(GraphOptimizer.ALL))
                .run(d.resolve("model.onnx"), out);
        int every = reference.path("model").path("global_attn_every_n_layers").asInt(3);
        int globalLayers = (layers + every - 1) / every; // layers 0, every, 2·every, ...
        assertThat(report.fused(Fusion.UNPADDED_GLOBAL_ATTENTION.reportName())).isEqualTo(globalLayers);
        GraphVerifier.Result r = GraphVerifier.builtIn().verify(d, "model.onnx", "model_unpadded.onnx");
        assertThat(r.passed()).as(r.toString()).isTrue();
        // With padding the dropped bias mattered: a short pair batched with a long one scores differently.
        List<String> docs = List.of("短い文書です。", "長い文書です。".repeat(40));
        try (CrossEncoder single = CrossEncoder.load(CrossEncoderOptions.builder(d)
                        .onnxFile("model_unpadded.onnx")
                        .build());
                CrossEncoder padded = CrossEncoder.load(CrossEncoderOptions.builder(d)
                        .onnxFile("model_unpadded.onnx")
                        .maxBatchSize(2)
                        .build())) {
            assertThat(Math.abs(single.score("文書", docs).logit(0)
                            - padded.score("文書", docs).logit(0)))
                    .isGreaterThan(1e-3f);
        }
    }

    @Test
    void refusesToOverwriteItsInput() throws Exception {
        Path copy = dir.resolve("self.onnx");
        Files.copy(TEST_MODEL.resolve("model.onnx"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GraphOptimizer.optimize(copy, copy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same file");
    }

    @Test
    void verifierRejectsAGraphThatScoresDifferently() throws Exception {
        // The fp32 and int8 graphs of the random test model differ by up to ~0.6: far outside 1e-4.
        Path d = copyOriginal("model.onnx");
        copyOriginal("onnx/model_qint8_avx2.onnx");
        GraphVerifier.Result r = GraphVerifier.fromReference(TEST_MODEL.resolve("reference.json"))
                .verify(d, "model.onnx", "onnx/model_qint8_avx2.onnx");
        assertThat(r.passed()).isFalse();
        assertThat(r.maxAbsDiff()).isGreaterThan(1e-2);
    }

    private static void assertFused(OptimizationReport report) {
        assertThat(report.fused("MultiHeadAttention+RotaryEmbedding")).isEqualTo(layers);
        assertThat(report.opsAfter().get("com.microsoft:MultiHeadAttention")).isEqualTo(layers);
        assertThat(report.opsAfter().get("com.microsoft:RotaryEmbedding")).isEqualTo(2 * layers);
        // every residual Add + LayerNorm: mlp_norm of each layer, attn_norm of layers 1.., final_norm
        assertThat(report.fused("SkipLayerNormalization")).isEqualTo(2 * layers);
        assertThat(report.opsAfter().get("com.microsoft:SkipLayerNormalization"))
                .isEqualTo(2 * layers);
        assertThat(report.opsAfter().get("LayerNormalization")).isEqualTo(2); // embeddings and head: no residual
        // GeGLU: the chunk(2) Slices are gone with the split projection
        assertThat(report.fused("GeGLU projection split")).isEqualTo(layers);
        assertThat(report.opsBefore().get("Slice")).isEqualTo(6 * layers);
        // what remains are the pooled-row cuts (residual stream, query, mask) of the fp32 graph
        assertThat(report.opsAfter().getOrDefault("Slice", 0)).isLessThanOrEqualTo(3);
        assertThat(report.nodesAfter()).isLessThan(report.nodesBefore());
    }

    private static Path copyOriginal(String relative) throws Exception {
        Path target = dir.resolve(relative);
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Files.copy(TEST_MODEL.resolve(relative), target);
        }
        return dir;
    }

    private static void assertGolden(String onnx, String field, double tolerance, double closeShare) throws Exception {
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(dir)
                .onnxFile(onnx)
                .intraOpThreads(1)
                .build())) {
            int close = 0;
            int total = 0;
            for (JsonNode q : reference.path("scoring").path("queries")) {
                List<String> docs = new ArrayList<>();
                for (JsonNode d : q.path("documents")) {
                    docs.add(d.path("document").asText());
                }
                ScoredPairs scored = encoder.score(q.path("query").asText(), docs);
                int i = 0;
                for (JsonNode d : q.path("documents")) {
                    double expected = d.path(field).asDouble();
                    assertThat((double) scored.logit(i))
                            .as(d.path("id").asText())
                            .isCloseTo(expected, offset(tolerance));
                    close += Math.abs(scored.logit(i) - expected) < 1e-3 ? 1 : 0;
                    total++;
                    i++;
                }
            }
            assertThat(total).isGreaterThanOrEqualTo(100);
            assertThat(close).isGreaterThanOrEqualTo((int) Math.ceil(closeShare * total));
        }
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models/test-model")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find models/test-model");
    }
}
