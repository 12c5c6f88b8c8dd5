package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ja-reranker optimize-model}: writes the engine's default fused graph beside the original, as a file of its own. */
class OptimizeModelCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAFusedFloatModelThatScoresLikeTheOriginal() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("model"));
        Files.copy(TestModels.testModel().resolve("model.onnx"), dir.resolve("model.onnx"));
        Files.copy(TestModels.testModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        byte[] before = Files.readAllBytes(dir.resolve("model.onnx"));
        String[] r = run("optimize-model", "--model", dir.toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1]).contains("verified: PASSED").contains("--onnx-file model.fused.onnx");
        assertThat(Files.readAllBytes(dir.resolve("model.onnx")))
                .as("the original is untouched")
                .isEqualTo(before);
        List<String> docs = List.of("送料は全国一律500円です。", "返品は7日以内に申請してください。", "");
        try (CrossEncoder byDefault =
                CrossEncoder.load(CrossEncoderOptions.builder(dir).build())) {
            assertThat(Files.readAllBytes(dir.resolve("model.fused.onnx")))
                    .as("the file written is the graph the engine runs by default")
                    .isEqualTo(Files.readAllBytes(byDefault.info().graph().file()));
        }
        try (CrossEncoder original = CrossEncoder.load(CrossEncoderOptions.builder(dir)
                        .onnxFile("model.onnx")
                        .optimizeGraph(false)
                        .build());
                CrossEncoder fused = CrossEncoder.load(CrossEncoderOptions.builder(dir)
                        .onnxFile("model.fused.onnx")
                        .build())) {
            ScoredPairs a = original.score("送料", docs);
            ScoredPairs b = fused.score("送料", docs);
            for (int i = 0; i < docs.size(); i++) {
                assertThat(b.logit(i)).isCloseTo(a.logit(i), within(1e-4f));
            }
        }
    }

    /**
     * The committed int8 test model fails the verifier with the full attention fusion (its RotaryEmbedding rounds
     * differently: 88.2 % of the pairs within 1e-3, 90 % required), so the file is removed, unless it is asked for to
     * measure what the rewrite would gain.
     */
    @Test
    void anUnverifiedRewriteIsKeptOnlyWhenAskedFor() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("int8/onnx")).getParent();
        Files.copy(
                TestModels.testModel().resolve("onnx/model_qint8_avx2.onnx"),
                dir.resolve("onnx/model_qint8_avx2.onnx"));
        Files.copy(TestModels.testModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        String[] common = {
            "optimize-model",
            "--model",
            dir.toString(),
            "--onnx-file",
            "onnx/model_qint8_avx2.onnx",
            "--fusions",
            "ATTENTION,SKIP_LAYER_NORM",
            "--out",
            "onnx/full.onnx"
        };

        String[] refused = run(common);
        assertThat(refused[0]).as(refused[1] + refused[2]).isEqualTo("1");
        assertThat(refused[1]).contains("FAILED").contains("not kept");
        assertThat(dir.resolve("onnx/full.onnx")).doesNotExist();

        String[] kept = run(Stream.concat(Arrays.stream(common), Stream.of("--keep-unverified"))
                .toArray(String[]::new));
        assertThat(kept[0]).as(kept[1] + kept[2]).isEqualTo("0");
        assertThat(kept[1]).contains("FAILED").contains("kept (--keep-unverified)");
        assertThat(dir.resolve("onnx/full.onnx")).isRegularFile();
    }

    @Test
    void keepUnverifiedGoesWithFusions() {
        String[] r = run("optimize-model", "--model", TestModels.testModel().toString(), "--keep-unverified");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--keep-unverified goes with --fusions");
    }

    @Test
    void refusesAnOutputOutsideTheModelDirectory() throws IOException {
        String[] r = run("optimize-model", "--model", TestModels.testModel().toString(), "--out", "../escape.onnx");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--out must be a new file inside the model directory");
    }
}
