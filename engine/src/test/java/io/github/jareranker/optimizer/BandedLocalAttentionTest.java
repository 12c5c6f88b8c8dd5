package io.github.jareranker.optimizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.GraphVerifier;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block-banded sliding-window attention on the committed fp32 test model (local_attention 16: blocks of 8
 * tokens): one unpadded sequence per run scores like the original at lengths below, at and around block and window
 * boundaries and up to 512 tokens, only the local layers are rewritten, and a graph without sliding-window
 * MultiHeadAttention nodes is left as it is.
 */
class BandedLocalAttentionTest {
    private static final Path TEST_MODEL = GraphOptimizerTest.repoRoot().resolve("models/test-model");
    private static final EnumSet<Fusion> FUSIONS =
            EnumSet.of(Fusion.ATTENTION, Fusion.UNPADDED_GLOBAL_ATTENTION, Fusion.BANDED_LOCAL_ATTENTION);

    @TempDir
    static Path dir;

    private static JsonNode config;
    private static OptimizationReport report;

    @BeforeAll
    static void rewrite() throws Exception {
        config = new ObjectMapper().readTree(TEST_MODEL.resolve("config.json").toFile());
        Files.copy(TEST_MODEL.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(TEST_MODEL.resolve("model.onnx"), dir.resolve("model.onnx"));
        report = GraphOptimizer.create(GraphOptimizer.DEFAULT_MAX_POSITIONS, FUSIONS)
                .run(dir.resolve("model.onnx"), dir.resolve("model_banded.onnx"));
    }

    @Test
    void rewritesExactlyTheSlidingWindowLayers() {
        int layers = config.path("num_hidden_layers").asInt();
        int every = config.path("global_attn_every_n_layers").asInt();
        int global = (layers + every - 1) / every; // layers 0, every, 2·every, ...
        assertThat(layers - global).isPositive();
        assertThat(report.fused(Fusion.BANDED_LOCAL_ATTENTION.reportName())).isEqualTo(layers - global);
        assertThat(report.fused(Fusion.UNPADDED_GLOBAL_ATTENTION.reportName())).isEqualTo(global);
        assertThat(report.opsAfter().get("com.microsoft:MultiHeadAttention")).isEqualTo(layers);
        // the exported band (Range, Abs) and its padding bias are gone with the S × S biases they fed
        assertThat(report.opsAfter()).doesNotContainKeys("Abs");
        assertThat(GraphOptimizer.ALL).doesNotContain(Fusion.BANDED_LOCAL_ATTENTION);
        assertThat(GraphOptimizer.BITWISE_EXACT).doesNotContain(Fusion.BANDED_LOCAL_ATTENTION);
        assertThat(GraphOptimizer.forUnpaddedRuns(GraphOptimizer.ALL)).contains(Fusion.BANDED_LOCAL_ATTENTION);
        assertThat(GraphOptimizer.forUnpaddedRuns(GraphOptimizer.BITWISE_EXACT))
                .contains(Fusion.BANDED_LOCAL_ATTENTION);
        // the engine's last choice for an unpadded encoder keeps the exact set without the banding
        Set<Fusion> last = GraphOptimizer.unpaddedCandidates().get(2);
        assertThat(last).contains(Fusion.UNPADDED_GLOBAL_ATTENTION).doesNotContain(Fusion.BANDED_LOCAL_ATTENTION);
        assertThat(last).containsAll(GraphOptimizer.BITWISE_EXACT);
    }

    @Test
    void scoresLikeTheOriginalAtEveryLengthAroundBlockBoundaries() throws Exception {
        int block = config.path("local_attention").asInt() / 2;
        assertThat(block).isEqualTo(8);
        List<Integer> lengths = new java.util.ArrayList<>(
                List.of(1, 2, 3, 5, 63, 64, 65, 127, 128, 129, 200, 255, 256, 257, 383, 384, 385, 500, 510, 511, 512));
        for (int s = 4; s <= 3 * block + 2; s++) {
            lengths.add(s); // below, at and between the first blocks, and past one window
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Random random = new Random(18);
        double worst = 0;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            try (OrtSession original =
                            env.createSession(dir.resolve("model.onnx").toString(), so);
                    OrtSession banded =
                            env.createSession(dir.resolve("model_banded.onnx").toString(), so)) {
                for (int s : lengths) {
                    long[] ids = new long[s];
                    for (int i = 0; i < s; i++) {
                        ids[i] = 5 + random.nextInt(2900);
                    }
                    ids[0] = config.path("cls_token_id").asLong();
                    float a = logit(env, original, ids);
                    float b = logit(env, banded, ids);
                    assertThat(Float.isNaN(b)).as("length %d", s).isFalse();
                    assertThat((double) Math.abs(a - b))
                            .as("length %d: %s vs %s", s, a, b)
                            .isLessThanOrEqualTo(1e-4);
                    worst = Math.max(worst, Math.abs(a - b));
                }
            }
        }
        System.out.println(
                "banded local attention, fp32 test model: worst |Δlogit| " + worst + " over lengths " + lengths);
    }

    @Test
    void passesTheVerifierOnTheBuiltInPairs() throws Exception {
        GraphVerifier.Result r = GraphVerifier.builtIn().verify(dir, "model.onnx", "model_banded.onnx");
        System.out.println("banded local attention, fp32 test model, GraphVerifier.builtIn(): " + r);
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(r.maxAbsDiff()).isLessThanOrEqualTo(GraphVerifier.FP32_TOLERANCE);
    }

    @Test
    void leavesAGraphWithoutSlidingWindowAttentionAlone() throws Exception {
        // the original graph has no MultiHeadAttention; the banded graph has no sliding-window bias left
        for (OnnxGraph g :
                List.of(OnnxGraph.read(dir.resolve("model.onnx")), OnnxGraph.read(dir.resolve("model_banded.onnx")))) {
            byte[] bytes = g.toModel().toByteArray();
            assertThat(new BandedLocalAttention().apply(g)).isZero();
            assertThat(g.toModel().toByteArray()).isEqualTo(bytes);
        }
    }

    @Test
    void rewritesTheLayersFusedKeepingTheExportedRotaryToo() throws Exception {
        EnumSet<Fusion> keeping = EnumSet.of(
                Fusion.ATTENTION_KEEPING_ROTARY, Fusion.UNPADDED_GLOBAL_ATTENTION, Fusion.BANDED_LOCAL_ATTENTION);
        OptimizationReport r = GraphOptimizer.create(GraphOptimizer.DEFAULT_MAX_POSITIONS, keeping)
                .run(dir.resolve("model.onnx"), dir.resolve("model_banded_keeping.onnx"));
        assertThat(r.fused(Fusion.BANDED_LOCAL_ATTENTION.reportName()))
                .isEqualTo(report.fused(Fusion.BANDED_LOCAL_ATTENTION.reportName()));
        GraphVerifier.Result v = GraphVerifier.builtIn().verify(dir, "model.onnx", "model_banded_keeping.onnx");
        System.out.println("banded local attention (exported rotary kept), fp32 test model: " + v);
        assertThat(v.passed()).as(v.toString()).isTrue();
        assertThat(v.maxAbsDiff()).isLessThanOrEqualTo(GraphVerifier.FP32_TOLERANCE);
    }

    @Test
    void int8GraphWithTheExportedRotaryKeptPassesTheVerifier() throws Exception {
        Path d = dir.resolve("int8");
        Files.createDirectories(d.resolve("onnx"));
        Files.copy(TEST_MODEL.resolve("tokenizer.json"), d.resolve("tokenizer.json"));
        Files.copy(TEST_MODEL.resolve("onnx/model_qint8_avx2.onnx"), d.resolve("onnx/model_qint8_avx2.onnx"));
        EnumSet<Fusion> fusions = EnumSet.copyOf(GraphOptimizer.forUnpaddedRuns(GraphOptimizer.BITWISE_EXACT));
        fusions.add(Fusion.BANDED_LOCAL_ATTENTION);
        OptimizationReport r = GraphOptimizer.create(GraphOptimizer.DEFAULT_MAX_POSITIONS, fusions)
                .run(d.resolve("onnx/model_qint8_avx2.onnx"), d.resolve("onnx/model_banded.onnx"));
        assertThat(r.fused(Fusion.BANDED_LOCAL_ATTENTION.reportName()))
                .isEqualTo(report.fused(Fusion.BANDED_LOCAL_ATTENTION.reportName()));
        GraphVerifier.Result v =
                GraphVerifier.builtIn().verify(d, "onnx/model_qint8_avx2.onnx", "onnx/model_banded.onnx");
        System.out.println("banded local attention, int8 test model (BITWISE_EXACT + unpadded + banded): " + v);
        assertThat(v.passed()).as(v.toString()).isTrue();
    }

    static float logit(OrtEnvironment env, OrtSession session, long[] ids) throws Exception {
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            for (String name : session.getInputNames()) {
                long[] values =
                        name.equals("attention_mask") ? mask : name.equals("input_ids") ? ids : new long[ids.length];
                inputs.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            try (OrtSession.Result r = session.run(inputs)) {
                float[][] out = (float[][]) r.get(0).getValue();
                return out[0][0];
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
