package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.evaluation.data.DataLocations;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void jsonHasExactlyTheMetricNamesAsGivenWithFullPrecision() throws IOException {
        Path qrels = write("q.trec", "q1 0 a 1\nq2 0 b 1\nq3 0 c 1\n");
        // q1: a at rank 1; q2: b at rank 3; q3: c not retrieved
        Path runFile = write(
                "r.trec", "q1 Q0 a 1 3 x\nq1 Q0 z 2 2 x\nq2 Q0 y 1 3 x\nq2 Q0 w 2 2 x\nq2 Q0 b 3 1 x\nq3 Q0 v 1 1 x\n");
        String[] r = run(
                "eval",
                "--qrels",
                qrels.toString(),
                "--run",
                runFile.toString(),
                "--metrics",
                "MRR@10,ndcg@10",
                "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode node = JSON.readTree(r[1]);
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("MRR@10", "ndcg@10");
        assertThat(node.get("MRR@10").doubleValue()).isEqualTo((1.0 + 1.0 / 3) / 3);
        assertThat(node.get("ndcg@10").doubleValue()).isEqualTo((1.0 + 1.0 / 2.0) / 3); // 1/log2(4) = 1/2
        assertThat(r[1].strip()).doesNotContain("\n");
    }

    @Test
    void oracleReportsTheBestReorderingOfTheCandidatesAndTheGap() throws IOException {
        Path qrels = write("q.trec", "q1 0 a 1\nq2 0 b 1\n");
        // q1: a at rank 2 of the candidates (oracle: rank 1); q2: b is not a candidate (oracle: 0)
        Path runFile = write("r.trec", "q1 Q0 x 1 2 r\nq1 Q0 a 2 1 r\nq2 Q0 y 1 1 r\n");
        String[] r = run(
                "eval",
                "--qrels",
                qrels.toString(),
                "--run",
                runFile.toString(),
                "--metrics",
                "ndcg@10",
                "--oracle",
                "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode o = JSON.readTree(r[1]).get("oracle").get("r").get("ndcg@10");
        double run = (1 / (Math.log(3) / Math.log(2))) / 2; // a at rank 2 in q1, 0 in q2
        assertThat(o.get("run").doubleValue()).isCloseTo(run, within(1e-12));
        assertThat(o.get("oracle").doubleValue()).isCloseTo(0.5, within(1e-12));
        assertThat(o.get("gap").doubleValue()).isCloseTo(0.5 - run, within(1e-12));
    }

    @Test
    void tableComparesRunsWithWinsTiesLosses() throws IOException {
        Path qrels = write("q.trec", "q1 0 a 1\nq2 0 b 1\n");
        Path base = write("base.trec", "q1 Q0 a 1 2 base\nq1 Q0 x 2 1 base\nq2 Q0 x 1 2 base\nq2 Q0 b 2 1 base\n");
        Path better = write("better.trec", "q1 Q0 a 1 2 better\nq2 Q0 b 1 2 better\n");
        String[] r = run(
                "eval",
                "--qrels",
                qrels.toString(),
                "--run",
                base.toString(),
                "--run",
                better.toString(),
                "--metrics",
                "mrr@10");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains(
                        "base",
                        "better",
                        "0.7500",
                        "1.0000",
                        "+0.2500 (1/1/0)",
                        "2 queries (from the qrels), tie-break: ranx");
    }

    @Test
    void missingInputsAreAUsageError() {
        String[] r = run("eval", "--metrics", "ndcg@10");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("give --qrels and at least one --run");
    }

    @Test
    void unknownMetricIsReported() throws IOException {
        Path qrels = write("q.trec", "q1 0 a 1\n");
        Path runFile = write("r.trec", "q1 Q0 a 1 1 x\n");
        String[] r = run("eval", "--qrels", qrels.toString(), "--run", runFile.toString(), "--metrics", "nDCG10");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("unknown metric 'nDCG10'");
    }

    @Test
    void publishedJqaraBm25RunThroughTheCli() throws IOException {
        Path dir = DataLocations.vendoredJqara(TestModels.repoRoot());
        assertThat(dir).as("evaluation/data/jqara (committed) must exist").isDirectory();
        String[] r = run(
                "eval",
                "--qrels",
                dir.resolve("qrels.trec").toString(),
                "--run",
                dir.resolve("runs/bm25.lz4").toString(),
                "--metrics",
                "ndcg@10,mrr@10",
                "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode node = JSON.readTree(r[1]);
        assertThat(node.get("ndcg@10").doubleValue()).isCloseTo(0.458, within(1e-4));
        assertThat(node.get("mrr@10").doubleValue()).isCloseTo(0.702, within(1e-4));
    }

    @Test
    void evalJsquadWithoutTheFullDataSaysWhereItLookedAndHowToFetchIt() {
        Path nowhere = tmp.resolve("no-data-here");
        System.setProperty(DataLocations.PROPERTY, nowhere.toString());
        try {
            String[] r = run("eval", "jsquad", "--questions", "1");
            assertThat(r[0]).isEqualTo("2");
            assertThat(r[2])
                    .contains(
                            nowhere.toString(),
                            "-D" + DataLocations.PROPERTY,
                            "evaluation/data/fetch.sh",
                            DataLocations.ENV,
                            "--data FILE");
        } finally {
            System.clearProperty(DataLocations.PROPERTY);
        }
    }

    @Test
    void rerankModeScoresADatasetWithTheTestModelEndToEnd() throws IOException {
        Path data = write(
                "tiny.jsonl",
                "{\"qid\": \"q1\", \"query\": \"梅雨はいつ始まりますか\", \"candidates\": ["
                        + "{\"id\": \"d1\", \"title\": \"梅雨\", \"text\": "
                        + "\"梅雨は5月から7月にかけての雨の多い時期です。\", \"relevance\": 1},"
                        + "{\"id\": \"d2\", \"title\": \"富士山\", \"text\": \"富士山は日本一高い山です。\", \"relevance\": 0},"
                        + "{\"id\": \"d3\", \"text\": \"東京は日本の首都です。\"}]}\n"
                        + "{\"qid\": \"q2\", \"query\": \"日本一高い山は\", \"candidates\": ["
                        + "{\"id\": \"d4\", \"title\": \"梅雨\", \"text\": \"梅雨の時期は地域によって違います。\"},"
                        + "{\"id\": \"d5\", \"title\": \"富士山\", \"text\": "
                        + "\"富士山の標高は3776メートルです。\", \"relevance\": 2}]}\n");
        Path runOut = tmp.resolve("out/reranked.trec");
        String[] r = run(
                "eval",
                "rerank",
                "--dataset",
                data.toString(),
                "--model",
                TestModels.testModel().toString(),
                "--workers",
                "1",
                "--metrics",
                "ndcg@10,mrr@10,map@10",
                "--run-out",
                runOut.toString(),
                "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode node = JSON.readTree(r[1]);
        assertThat(node.get("queries").intValue()).isEqualTo(2);
        JsonNode first = node.get("runs").get("first-stage");
        // first stage = file order: q1 relevant at rank 1, q2 relevant at rank 2
        assertThat(first.get("mrr@10").doubleValue()).isEqualTo((1.0 + 0.5) / 2);
        assertThat(node.get("runs").get("test-model")).isNotNull();
        assertThat(node.get("vs_first")
                        .get("test-model")
                        .get("mrr@10")
                        .get("ties")
                        .intValue())
                .isBetween(0, 2);
        assertThat(node.get("notes").toString()).contains("RANDOM WEIGHTS");
        List<String> lines = Files.readAllLines(runOut);
        assertThat(lines).hasSize(5);
        assertThat(lines).allMatch(l -> l.matches("q[12] Q0 d[1-5] [1-3] -?[0-9.E-]+ test-model"));
        // the written run evaluates to the same figures as printed
        Path qrels = write("inline.trec", "q1 0 d1 1\nq1 0 d2 0\nq2 0 d5 2\n");
        String[] again = run(
                "eval",
                "--qrels",
                qrels.toString(),
                "--run",
                runOut.toString(),
                "--metrics",
                "ndcg@10,mrr@10,map@10",
                "--json");
        JsonNode re = JSON.readTree(again[1]);
        for (String m : List.of("ndcg@10", "mrr@10", "map@10")) {
            assertThat(re.get(m).doubleValue())
                    .as(m)
                    .isEqualTo(node.get("runs").get("test-model").get(m).doubleValue());
        }
    }
}
