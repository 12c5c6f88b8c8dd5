package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jareranker.encoder.Activation;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.CrossEncoderOptions;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        // Four documents that all match the query (温泉), so the reranked list is the whole set in the model's order.
        String[][] docs = {
            {"a", "温泉旅館の予約", "露天風呂のある温泉旅館を予約できます。"},
            {"b", "駅前の温泉", "駅前に日帰り温泉があります。"},
            {"c", "温泉の効能", "温泉の成分と効能について説明します。"},
            {"d", "温泉街の地図", "温泉街の駐車場と散策路の地図です。"},
        };
        StringBuilder jsonl = new StringBuilder();
        for (String[] d : docs) {
            jsonl.append("{\"id\":\"")
                    .append(d[0])
                    .append("\",\"title\":\"")
                    .append(d[1])
                    .append("\",\"body\":\"")
                    .append(d[2])
                    .append("\"}\n");
        }
        Path file = tmp.resolve("docs.jsonl");
        Files.writeString(file, jsonl.toString());
        String query = "温泉に泊まりたい";
        String[] r = run(
                "demo",
                "--no-serve",
                "--port",
                "0",
                "--model",
                TestModels.testModel().toString(),
                "--docs",
                file.toString(),
                "--query",
                query);
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("documents: 4 from").contains("Query: " + query + "   (4 matches");

        // The model's own scores (the example configset's settings: sigmoid, maxLength 512) of title + " " + body.
        Map<String, Float> model = new HashMap<>();
        try (CrossEncoder encoder = CrossEncoder.load(CrossEncoderOptions.builder(TestModels.testModel())
                .maxLength(512)
                .activation(Activation.SIGMOID)
                .build())) {
            for (String[] d : docs) {
                model.put(d[0], encoder.score(query, List.of(d[1] + " " + d[2])).score(0));
            }
        }
        List<String> expected = new ArrayList<>(model.keySet());
        expected.sort(Comparator.comparingDouble(id -> -model.get(id)));

        // The right-hand column: "1. 0.5123 ( 1.234)  a 温泉旅館の予約"
        Pattern row = Pattern.compile("\\| (\\d)\\. (\\d\\.\\d{4}) \\( *-?[0-9.]+\\)  (\\w) ");
        List<String> printed = new ArrayList<>();
        for (String line : r[1].split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                assertThat(Integer.parseInt(m.group(1))).isEqualTo(printed.size() + 1);
                String id = m.group(3);
                assertThat(Float.parseFloat(m.group(2))).as(id).isCloseTo(model.get(id), within(1e-4f));
                printed.add(id);
            }
        }
        assertThat(printed).as(r[1]).isEqualTo(expected);
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
