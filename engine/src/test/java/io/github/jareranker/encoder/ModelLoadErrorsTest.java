package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad model directories fail at load time with a message naming the path and what was expected. */
class ModelLoadErrorsTest {
    @TempDir
    Path tmp;

    private static Path resource(String name) {
        try {
            return Paths.get(ModelLoadErrorsTest.class.getResource("/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CrossEncoderOptions options(Path dir) {
        return CrossEncoderOptions.builder(dir).intraOpThreads(1).build();
    }

    private Path modelDir(String graph) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m-" + graph));
        Files.copy(resource("tiny-tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(resource("bad-graphs/" + graph + ".onnx"), dir.resolve("model.onnx"));
        return dir;
    }

    @Test
    void missingDirectory() {
        Path missing = tmp.resolve("no-such-model");
        assertThatThrownBy(() -> CrossEncoder.load(options(missing)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void missingTokenizer() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("no-tokenizer"));
        Files.copy(resource("bad-graphs/three_logits.onnx"), dir.resolve("model.onnx"));
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void noOnnxFileListsWhatWasFound() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("no-onnx"));
        Files.copy(resource("tiny-tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.onnx")
                .hasMessageContaining("config.json")
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void severalOnnxFilesAskForAChoice() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("two-onnx"));
        Files.copy(resource("tiny-tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.createDirectories(dir.resolve("onnx"));
        Files.copy(resource("bad-graphs/three_logits.onnx"), dir.resolve("onnx/model_qint8_avx2.onnx"));
        Files.copy(resource("bad-graphs/three_logits.onnx"), dir.resolve("onnx/model_qint8_arm64.onnx"));
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("onnx/model_qint8_arm64.onnx")
                .hasMessageContaining("onnx/model_qint8_avx2.onnx")
                .hasMessageContaining("onnxFile");
    }

    @Test
    void explicitOnnxFileMustExist() throws IOException {
        Path dir = modelDir("three_logits");
        CrossEncoderOptions opts =
                CrossEncoderOptions.builder(dir).onnxFile("onnx/nope.onnx").build();
        assertThatThrownBy(() -> CrossEncoder.load(opts))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("onnx/nope.onnx").toString());
    }

    @Test
    void onnxFileCannotEscapeTheModelDirectory() {
        assertThatThrownBy(() -> CrossEncoderOptions.builder(tmp)
                        .onnxFile("../other/model.onnx")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onnxFile");
    }

    @Test
    void graphWithoutAttentionMask() throws IOException {
        Path dir = modelDir("missing_attention_mask");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("attention_mask");
    }

    @Test
    void graphWithThreeLogits() throws IOException {
        Path dir = modelDir("three_logits");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("logits")
                .hasMessageContaining("[batch, 1]");
    }

    @Test
    void graphWithInt32Ids() throws IOException {
        Path dir = modelDir("int32_ids");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("input_ids")
                .hasMessageContaining("int64");
    }

    @Test
    void corruptOnnxFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("corrupt"));
        Files.copy(resource("tiny-tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("model.onnx"), "this is not a protobuf");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString());
    }

    @Test
    void modelThatLoadsButScoresNaNFailsAtLoad() throws IOException {
        Path dir = modelDir("nan_logits");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining("NaN");
    }

    @Test
    void truncatedAndRandomOnnxFilesFailNamingTheFile() throws IOException {
        byte[] real = Files.readAllBytes(TestModels.testModel().resolve("model.onnx"));
        byte[] random = new byte[4096];
        new java.util.Random(5).nextBytes(random);
        for (byte[] bytes : new byte[][] {java.util.Arrays.copyOf(real, real.length / 2), random, new byte[0]}) {
            Path dir = Files.createDirectories(tmp.resolve("broken-" + bytes.length));
            Files.copy(TestModels.testModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
            Files.write(dir.resolve("model.onnx"), bytes);
            assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                    .as("%d bytes", bytes.length)
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining(dir.resolve("model.onnx").toString());
        }
    }

    @Test
    void sha256MustMatchTheOnnxFileWhenSet() throws Exception {
        Path onnx = TestModels.testModel().resolve("model.onnx");
        String right = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(onnx)));
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .intraOpThreads(1)
                .sha256(right.toUpperCase(java.util.Locale.ROOT))
                .build())) {
            assertThat(encoder.options().sha256()).contains(right);
        }
        String wrong = right.substring(1) + (right.charAt(0) == '0' ? '1' : '0');
        assertThatThrownBy(() -> CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                        .intraOpThreads(1)
                        .sha256(wrong)
                        .build()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(onnx.toString())
                .hasMessageContaining(right)
                .hasMessageContaining(wrong);
        assertThatThrownBy(() -> CrossEncoderOptions.builder(TestModels.testModel())
                        .sha256("abc")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256");
    }

    @Test
    void aTokenizerWithIdsPastTheEmbeddingIsNotTheModels() throws Exception {
        Path model = TestModels.testModel();
        long rows = OnnxFileScan.of(model.resolve("model.onnx")).embeddingRows().orElseThrow();
        TokenizerSpec own = TokenizerSpec.read(model.resolve("tokenizer.json"));
        assertThat(own.largestId()).hasValue((int) rows - 1);
        // Another model's tokenizer: the same file with one more token, numbered past the table.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode tokenizer = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(model.resolve("tokenizer.json").toFile());
        tokenizer
                .withArray("added_tokens")
                .addObject()
                .put("id", rows + 10)
                .put("content", "<other-model>")
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true);
        Path dir = Files.createDirectories(tmp.resolve("foreign-tokenizer"));
        Files.copy(model.resolve("model.onnx"), dir.resolve("model.onnx"));
        json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining(dir.resolve("model.onnx").toString())
                .hasMessageContaining(String.valueOf(rows + 10))
                .hasMessageContaining(rows + " rows");
    }

    @Test
    void theFileScanFindsOperatorsOfEveryGraph() throws ModelLoadException {
        OnnxFileScan fp32 = OnnxFileScan.of(TestModels.testModel().resolve("model.onnx"));
        assertThat(fp32.opTypes()).contains("LayerNormalization", "MatMul", "Softmax");
        assertThat(fp32.quantizesActivationsDynamically()).isFalse();
        assertThat(fp32.externalDataLocations()).isEmpty();
        Path int8 = TestModels.testModelInt8().resolve("onnx/model_qint8_avx2.onnx");
        assertThat(OnnxFileScan.of(int8).quantizesActivationsDynamically()).isTrue();
        assertThat(OnnxFileScan.of(int8).embeddingRows()).isEqualTo(fp32.embeddingRows());
    }

    @Test
    void tokenizerWithoutPairTemplate() throws IOException {
        Path dir = modelDir("three_logits");
        String json = Files.readString(dir.resolve("tokenizer.json"), StandardCharsets.UTF_8);
        int start = json.indexOf("\"post_processor\"");
        int end = json.indexOf("\"decoder\"");
        Files.writeString(
                dir.resolve("tokenizer.json"),
                json.substring(0, start) + "\"post_processor\": null,\n  " + json.substring(end),
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("pair template");
    }

    @Test
    void tokenizerThatIsNotJson() throws IOException {
        Path dir = modelDir("three_logits");
        Files.writeString(dir.resolve("tokenizer.json"), "not json at all");
        assertThatThrownBy(() -> CrossEncoder.load(options(dir)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void cudaWithoutCudaRuntimeSaysWhatToInstall() throws IOException {
        Path dir = modelDir("three_logits");
        CrossEncoderOptions opts =
                CrossEncoderOptions.builder(dir).device(ExecutionDevice.cuda(0)).build();
        // The CPU artifact of ONNX Runtime is on the test classpath, so CUDA is never available here.
        assertThatThrownBy(() -> CrossEncoder.load(opts))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("onnxruntime_gpu");
    }

    @Test
    void optionsValidateTheirValues() {
        assertThatThrownBy(() -> CrossEncoderOptions.builder(tmp).maxLength(2).build())
                .hasMessageContaining("maxLength");
        assertThatThrownBy(
                        () -> CrossEncoderOptions.builder(tmp).maxBatchTokens(0).build())
                .hasMessageContaining("maxBatchTokens");
        assertThatThrownBy(() ->
                        CrossEncoderOptions.builder(tmp).intraOpThreads(-1).build())
                .hasMessageContaining("intraOpThreads");
        assertThat(CrossEncoderOptions.builder(tmp).build())
                .isEqualTo(CrossEncoderOptions.builder(tmp.resolve("x/..")).build());
    }
}
