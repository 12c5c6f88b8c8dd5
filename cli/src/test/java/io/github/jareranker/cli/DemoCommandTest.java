package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --no-serve}: Solr starts in-process, the sample site is indexed and compared, Solr stops. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void home() {
        System.setProperty("ja-reranker.home", TestModels.repoRoot().toString());
    }

    @AfterAll
    static void clear() {
        for (String p : new String[] {
            "ja-reranker.home",
            "jareranker.model.dir",
            "jareranker.onnx.file",
            "host",
            "solr.log.dir",
            "solr.install.dir",
            "jareranker.workers"
        }) {
            System.clearProperty(p);
        }
    }

    @Test
    void comparesBm25WithRerankingAndExits() {
        SolrRuntime.assumeCanStart();
        String[] r = run(
                "demo",
                "--no-serve",
                "--port",
                "0",
                "--model",
                TestModels.testModel().toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("NOTICE", "RANDOM")
                .contains("Query: 粗大ごみを捨てたい", "Query: 子どもを一時的に預けたい")
                .contains("BM25 (edismax over title^2 body)", "reranked: model score (BM25 score)")
                .contains("gomi-02 粗大ごみの申し込み方法")
                .contains("curl -G 'http://localhost:")
                .doesNotContain("Press Ctrl-C")
                .doesNotContain("Search page:");
    }

    @Test
    void customDocsAndQueries() throws IOException {
        SolrRuntime.assumeCanStart();
        Path docs = tmp.resolve("docs.jsonl");
        Files.writeString(
                docs,
                "{\"id\":\"a\",\"title\":\"温泉旅館の予約\",\"body\":\"露天風呂のある温泉旅館を予約できます。\"}\n"
                        + "{\"id\":\"b\",\"title\":\"駅前の駐車場\",\"body\":\"駅前に"
                        + "大きな駐車場があります。\",\"url\":\"https://example.jp/b\"}\n");
        String[] r = run(
                "demo",
                "--no-serve",
                "--port",
                "0",
                "--model",
                TestModels.testModel().toString(),
                "--docs",
                docs.toString(),
                "--query",
                "温泉に泊まりたい");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("documents: 2 from")
                .contains("Query: 温泉に泊まりたい")
                .contains("a 温泉旅館の予約");
    }

    @Test
    void choosesARealModelOverRandomWeightOnes() throws IOException {
        SolrRuntime.assumeCanStart();
        Path home = tmp.resolve("home");
        Path bench = Files.createDirectories(home.resolve("models/bench-xsmall-v2/onnx"));
        Files.writeString(bench.getParent().resolve("tokenizer.json"), "{}");
        Files.writeString(bench.resolve("model_qint8_avx2.onnx"), "x");
        Files.writeString(bench.getParent().resolve("config.json"), "{\"random_weights\": true}");
        Path test = Files.createDirectories(home.resolve("models/test-model"));
        Files.writeString(test.resolve("tokenizer.json"), "{}");
        Files.writeString(test.resolve("model.onnx"), "x");
        ModelChoice fallback = new DemoCommand().chooseModel(home);
        assertThat(fallback.dir()).endsWith(Path.of("models/test-model"));
        assertThat(fallback.randomWeights()).isTrue();

        Path real = Files.createDirectories(home.resolve("models/japanese-reranker-tiny-v2/onnx"));
        Files.writeString(real.getParent().resolve("tokenizer.json"), "{}");
        Files.writeString(real.resolve("model_qint8_avx2.onnx"), "x");
        Files.writeString(real.resolve("model_qint8_arm64.onnx"), "x");
        ModelChoice chosen = new DemoCommand().chooseModel(home);
        assertThat(chosen.dir()).endsWith(Path.of("models/japanese-reranker-tiny-v2"));
        assertThat(chosen.randomWeights()).isFalse();
        assertThat(chosen.onnxFile()).isIn("onnx/model_qint8_avx2.onnx", "onnx/model_qint8_arm64.onnx");
    }

    @Test
    void portInUseIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String[] r = run(
                    "demo",
                    "--no-serve",
                    "--port",
                    String.valueOf(taken.getLocalPort()),
                    "--model",
                    TestModels.testModel().toString());
            assertThat(r[0]).isEqualTo("1");
            assertThat(r[2])
                    .contains("port " + taken.getLocalPort() + " is already in use")
                    .contains("--port");
        }
    }

    @Test
    void badDocsFileNamesTheLine() throws IOException {
        Path docs = tmp.resolve("bad.jsonl");
        Files.writeString(
                docs, "{\"id\":\"a\",\"title\":\"t\",\"body\":\"b\"}\n{\"id\":\"b\",\"body\":\"no title\"}\n");
        String[] r = run(
                "demo",
                "--no-serve",
                "--port",
                "0",
                "--model",
                TestModels.testModel().toString(),
                "--docs",
                docs.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("line 2").contains("\"title\"");
    }
}
