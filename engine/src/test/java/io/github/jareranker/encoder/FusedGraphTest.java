package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fused graph is what a default load runs ({@link CrossEncoderOptions#optimizeGraph()}): made and verified at the
 * first load, cached beside the model by the original's hash, never stale, and the original whenever anything does not
 * hold. Runs on copies of the committed test models; the logits are compared with the same model loaded as it is.
 */
class FusedGraphTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aDefaultLoadRunsTheVerifiedFusedGraphAndTheNextLoadReusesIt() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        GraphChoice first;
        float[] fused;
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            first = encoder.info().graph();
            fused = logits(encoder);
        }
        assertThat(first.fused()).as(first.toString()).isTrue();
        assertThat(first.cached()).isFalse();
        assertThat(first.file().getParent()).isEqualTo(dir.resolve(GraphChoice.CACHE_DIRECTORY));
        assertThat(first.detail()).contains("MultiHeadAttention", "verified: PASSED");
        JsonNode record = onlyRecord(dir);
        assertThat(record.path("originalSha256").asText()).isEqualTo(FileDigest.sha256(dir.resolve("model.onnx")));
        assertThat(record.path("fusedSha256").asText()).isEqualTo(FileDigest.sha256(first.file()));
        assertThat(leftovers(dir)).as("temporary files").isEmpty();

        try (CrossEncoder again =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            GraphChoice second = again.info().graph();
            assertThat(second.fused()).isTrue();
            assertThat(second.cached()).isTrue();
            assertThat(second.file()).isEqualTo(first.file());
            assertThat(logits(again)).containsExactly(fused);
        }
        try (CrossEncoder asIs = CrossEncoder.load(
                CrossEncoderOptions.builder(dir).optimizeGraph(false).build())) {
            assertThat(asIs.info().graph().fused()).isFalse();
            assertThat(asIs.info().graph().file()).isEqualTo(dir.resolve("model.onnx"));
            assertThat(asIs.info().graph().detail()).contains("optimizeGraph=false");
            float[] original = logits(asIs);
            for (int i = 0; i < original.length; i++) {
                assertThat((double) fused[i])
                        .as("pair " + i)
                        .isCloseTo(original[i], offset(GraphVerifier.FP32_TOLERANCE));
            }
        }
    }

    @Test
    void aLoadReadsTheOriginalOnceForTheSha256CheckAndTheCacheAndALaterLoadReadsNothing() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("model.onnx"))));
        CrossEncoderOptions options =
                CrossEncoderOptions.builder(dir).sha256(sha256).build();
        long before = FileDigest.reads();
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            assertThat(encoder.info().graph().fused()).isTrue();
        }
        // the original once, for the sha256 check and the cache's key; the new fused file for its record
        assertThat(FileDigest.reads() - before).isEqualTo(2);
        try (CrossEncoder again = CrossEncoder.load(options)) {
            assertThat(again.info().graph().cached()).isTrue();
        }
        assertThat(FileDigest.reads() - before)
                .as("a later load of the same files")
                .isEqualTo(2);
    }

    @Test
    void aReplacedOriginalIsNeverServedItsOldRewrite() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        Path before;
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            before = encoder.info().graph().file();
        }
        // Another file under the same name: the int8 export of the same model.
        Files.copy(
                TestModels.testModel().resolve("onnx/model_qint8_avx2.onnx"),
                dir.resolve("model.onnx"),
                StandardCopyOption.REPLACE_EXISTING);
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            GraphChoice after = encoder.info().graph();
            assertThat(after.cached()).isFalse();
            assertThat(after.file()).isNotEqualTo(before);
            assertThat(encoder.info().dynamicallyQuantized()).isTrue();
        }
    }

    @Test
    void optimizationOffLeavesTheModelDirectoryAlone() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        try (CrossEncoder encoder = CrossEncoder.load(
                CrossEncoderOptions.builder(dir).optimizeGraph(false).build())) {
            assertThat(encoder.info().graph().fused()).isFalse();
            assertThat(encoder.info().graph().prepareMillis()).isZero();
        }
        assertThat(dir.resolve(GraphChoice.CACHE_DIRECTORY)).doesNotExist();
    }

    @Test
    void anUnwritableCacheFolderGetsARewriteUsedOnceAndDeleted() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        // A file where the cache folder would be: nothing can be written there (this holds for root too).
        Files.writeString(dir.resolve(GraphChoice.CACHE_DIRECTORY), "not a folder");
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            GraphChoice choice = encoder.info().graph();
            assertThat(choice.fused()).as(choice.toString()).isTrue();
            assertThat(choice.detail()).contains("not cached");
            assertThat(choice.file()).doesNotExist(); // ONNX Runtime has read it; it is gone
        }
    }

    @Test
    void aRewriteThatDoesNotVerifyIsRefusedAndTheRefusalRemembered() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        CrossEncoderOptions options = CrossEncoderOptions.builder(dir).build();
        GraphVerifier impossible = GraphVerifier.builtIn().withTolerances(-1, -1);
        try (FusedGraph.Prepared prepared = prepare(options, impossible)) {
            assertThat(prepared.choice().fused()).isFalse();
            assertThat(prepared.choice().file()).isEqualTo(dir.resolve("model.onnx"));
            assertThat(prepared.choice().detail())
                    .contains("no rewrite scores like the original", "every fusion", "bitwise-exact", "FAILED");
        }
        // The next load does not redo the failing work: it reads the decision.
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            assertThat(encoder.info().graph().fused()).isFalse();
            assertThat(encoder.info().graph().cached()).isTrue();
        }
        assertThat(leftovers(dir)).isEmpty();
        try (Stream<Path> files = Files.list(dir.resolve(GraphChoice.CACHE_DIRECTORY))) {
            assertThat(files.filter(p -> p.toString().endsWith(".onnx"))).isEmpty();
        }
    }

    @Test
    void anInt8GraphThatOnlyTheExactFusionsReproduceGetsThose() throws Exception {
        Path dir = copyModel("onnx/model_qint8_avx2.onnx", "onnx/model_qint8_avx2.onnx");
        CrossEncoderOptions options = CrossEncoderOptions.builder(dir).build();
        // An int8 tolerance only bitwise agreement meets: the RotaryEmbedding kernel rounds differently.
        GraphVerifier strict = GraphVerifier.builtIn().withTolerances(1e-4, 1e-7);
        try (FusedGraph.Prepared prepared = prepare(options, strict)) {
            GraphChoice choice = prepared.choice();
            assertThat(choice.fused()).as(choice.toString()).isTrue();
            assertThat(choice.detail())
                    .contains("MultiHeadAttention (exported rotary kept)", "max |Δlogit| 0.00")
                    .doesNotContain("MultiHeadAttention+RotaryEmbedding");
        }
    }

    @Test
    void aCorruptRecordIsMadeAgain() throws Exception {
        Path dir = copyModel("model.onnx", "model.onnx");
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            assertThat(encoder.info().graph().fused()).isTrue();
        }
        Path record;
        try (Stream<Path> files = Files.list(dir.resolve(GraphChoice.CACHE_DIRECTORY))) {
            record = files.filter(p -> p.toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.writeString(record, "{ truncated");
        try (CrossEncoder encoder =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            assertThat(encoder.info().graph().fused()).isTrue();
            assertThat(encoder.info().graph().cached()).isFalse();
        }
        assertThat(JSON.readTree(record.toFile()).path("fused").asBoolean()).isTrue();
    }

    private FusedGraph.Prepared prepare(CrossEncoderOptions options, GraphVerifier verifier) throws Exception {
        ModelFiles files = ModelFiles.resolve(options);
        try (PairTokenizer tokenizer = PairTokenizer.load(
                files.tokenizerJson(), options.truncation(), CrossEncoderOptions.DEFAULT_MAX_LENGTH)) {
            return FusedGraph.prepare(files, OnnxFileScan.of(files.onnxFile()), tokenizer, options, true, verifier);
        }
    }

    /** The built-in verification pairs' logits, one scoring call per query, in order. */
    private static float[] logits(CrossEncoder encoder) {
        float[] all = new float[0];
        for (GraphVerifier.Query q : VerificationPairs.QUERIES) {
            float[] l = encoder.score(q.query(), q.documents()).logits();
            all = Arrays.copyOf(all, all.length + l.length);
            System.arraycopy(l, 0, all, all.length - l.length, l.length);
        }
        return all;
    }

    private Path copyModel(String from, String to) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "model");
        Files.copy(TestModels.testModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.createDirectories(dir.resolve(to).getParent());
        Files.copy(TestModels.testModel().resolve(from), dir.resolve(to));
        return dir;
    }

    private static JsonNode onlyRecord(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(GraphChoice.CACHE_DIRECTORY))) {
            List<Path> records =
                    files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(records).hasSize(1);
            return JSON.readTree(records.get(0).toFile());
        }
    }

    private static List<Path> leftovers(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(GraphChoice.CACHE_DIRECTORY))) {
            return files.filter(p -> p.toString().endsWith(".tmp")).toList();
        }
    }
}
