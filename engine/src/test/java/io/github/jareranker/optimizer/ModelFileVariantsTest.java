package io.github.jareranker.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ModelLoadException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import onnx.Onnx.GraphProto;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.StringStringEntryProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same committed test models written the ways other exporters write them — LayerNormalization without its
 * (optional) bias input, weights in an external data file — load and score exactly like the originals, and external
 * data that is missing or points outside the model directory fails the load naming the file, never crashing the JVM.
 *
 * <p>The bias-free case pins down a report that ONNX Runtime 1.23.2 crashed in {@code createSession} on such graphs:
 * it does not (this test runs in the suite's own JVM, so a native crash would fail the build).
 */
class ModelFileVariantsTest {
    private static final Path FP32 = GraphOptimizerTest.repoRoot().resolve("models/test-model");
    private static final Path INT8 = GraphOptimizerTest.repoRoot().resolve("models/test-model-int8");
    private static final List<String> DOCS = List.of(
            "図書館の開館時間は午前9時から午後7時までです。",
            "燃えるごみは月曜日と木曜日の朝8時までに出してください。",
            "",
            "住民票の写しはマイナンバーカードを使ってコンビニで取得できます。".repeat(20));
    private static final String QUERY = "図書館は何時まで開いていますか";

    @TempDir
    Path tmp;

    @Test
    void layerNormWithoutBiasScoresLikeAZeroBias() throws IOException {
        for (Path model : List.of(FP32, INT8)) {
            Path onnx = onnxFile(model);
            ModelProto original = read(onnx);
            int withBias = countLayerNormsWithBias(original);
            assertThat(withBias)
                    .as("LayerNormalization nodes with a bias in " + onnx)
                    .isPositive();
            Path zeroBias = write(model, "zero-bias", zeroLayerNormBiases(original));
            Path noBias = write(model, "no-bias", dropLayerNormBiases(zeroLayerNormBiases(original)));
            assertThat(countLayerNormsWithBias(read(onnxFile(noBias)))).isZero();
            assertThat(logits(noBias)).as("bias-free " + onnx).containsExactly(logits(zeroBias));
        }
    }

    @Test
    void externalDataLoadsAndScoresLikeTheEmbeddedWeights() throws IOException {
        for (Path model : List.of(FP32, INT8)) {
            Path external = writeExternal(model, "external", "weights.bin");
            assertThat(Files.size(external.resolve("weights.bin"))).isGreaterThan(100_000);
            assertThat(Files.size(onnxFile(external))).isLessThan(Files.size(onnxFile(model)) / 4);
            assertThat(logits(external)).as("external data of " + model).containsExactly(logits(model));
        }
    }

    @Test
    void externalDataMissingOrOutsideTheModelDirectoryFailsNamingTheFile() throws IOException {
        Path missing = writeExternal(FP32, "missing", "weights.bin");
        Files.delete(missing.resolve("weights.bin"));
        assertThatThrownBy(() -> logits(missing))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(onnxFile(missing).toString())
                .hasMessageContaining("weights.bin");

        Path outside = writeExternal(FP32, "outside", "../outside-weights.bin");
        assertThat(tmp.resolve("outside-weights.bin")).exists();
        assertThatThrownBy(() -> logits(outside))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(onnxFile(outside).toString())
                .hasMessageContaining("outside-weights.bin");
    }

    private static float[] logits(Path modelDir) throws ModelLoadException {
        // The file as written (the fused rewrite reads no external data, so it would differ in rounding only).
        CrossEncoderOptions options = CrossEncoderOptions.builder(modelDir)
                .intraOpThreads(1)
                .optimizeGraph(false)
                .build();
        try (CrossEncoder encoder = CrossEncoder.load(options)) {
            return encoder.score(QUERY, DOCS).logits();
        }
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static int countLayerNormsWithBias(ModelProto model) {
        int n = 0;
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (isLayerNorm(node)
                    && node.getInputCount() == 3
                    && !node.getInput(2).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static boolean isLayerNorm(NodeProto node) {
        return node.getOpType().equals("LayerNormalization") && node.getDomain().isEmpty();
    }

    /** Every LayerNormalization bias initializer replaced by zeros of the same shape. */
    private static ModelProto zeroLayerNormBiases(ModelProto model) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (NodeProto node : model.getGraph().getNodeList()) {
            if (isLayerNorm(node) && node.getInputCount() == 3) {
                String bias = node.getInput(2);
                for (int i = 0; i < g.getInitializerCount(); i++) {
                    TensorProto t = g.getInitializer(i);
                    if (t.getName().equals(bias)) {
                        g.setInitializer(i, Tensors.floatTensor(bias, dims(t), new float[Tensors.floats(t).length]));
                    }
                }
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** Every LayerNormalization node without its third (optional) input, as bias-free exporters write it. */
    private static ModelProto dropLayerNormBiases(ModelProto model) {
        return mapNodes(
                model,
                node -> isLayerNorm(node) && node.getInputCount() == 3
                        ? node.toBuilder()
                                .clearInput()
                                .addInput(node.getInput(0))
                                .addInput(node.getInput(1))
                                .build()
                        : node);
    }

    private static ModelProto mapNodes(ModelProto model, UnaryOperator<NodeProto> f) {
        GraphProto.Builder g = model.getGraph().toBuilder();
        for (int i = 0; i < g.getNodeCount(); i++) {
            g.setNode(i, f.apply(g.getNode(i)));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * The model of {@code modelDir} with every initializer of 1 KiB or more moved to {@code location} (relative to the
     * new model directory, as the ONNX external-data format has it), one after another.
     */
    private Path writeExternal(Path modelDir, String name, String location) throws IOException {
        ModelProto model = read(onnxFile(modelDir));
        Path dir = copyTokenizer(modelDir, name);
        GraphProto.Builder g = model.getGraph().toBuilder();
        Path data = dir.resolve(location).normalize();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(data)) {
            for (int i = 0; i < g.getInitializerCount(); i++) {
                TensorProto t = g.getInitializer(i);
                ByteString raw = t.getRawData();
                if (raw.size() < 1024) {
                    continue;
                }
                raw.writeTo(out);
                g.setInitializer(
                        i,
                        t.toBuilder()
                                .clearRawData()
                                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                .addExternalData(entry("location", location))
                                .addExternalData(entry("offset", Long.toString(offset)))
                                .addExternalData(entry("length", Integer.toString(raw.size())))
                                .build());
                offset += raw.size();
            }
        }
        writeModel(dir, model.toBuilder().setGraph(g).build());
        return dir;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private Path write(Path modelDir, String name, ModelProto model) throws IOException {
        Path dir = copyTokenizer(modelDir, name);
        writeModel(dir, model);
        return dir;
    }

    private Path copyTokenizer(Path modelDir, String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(modelDir.getFileName() + "-" + name));
        Files.copy(modelDir.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    private static void writeModel(Path dir, ModelProto model) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("model.onnx"))) {
            model.writeTo(out);
        }
    }

    private static Path onnxFile(Path modelDir) throws IOException {
        Path top = modelDir.resolve("model.onnx");
        if (Files.isRegularFile(top)) {
            return top;
        }
        try (var files = Files.list(modelDir.resolve("onnx"))) {
            return files.filter(p -> p.toString().endsWith(".onnx")).findFirst().orElseThrow();
        }
    }

    private static ModelProto read(Path onnx) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(onnx));
    }
}
