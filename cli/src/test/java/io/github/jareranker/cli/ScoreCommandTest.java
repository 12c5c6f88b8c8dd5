package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.encoder.CrossEncoder;
import io.github.jareranker.encoder.ScoredPairs;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ja-reranker score}: JSON lines in input order that equal the engine's scores. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DOCS = List.of("送料は全国一律500円です。", "返品は7日以内に申請してください。", "", "送料無料の条件");
    private static CrossEncoder encoder;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        encoder = TestModels.loadTestModel();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void scoresDocumentsFromAFileInInputOrder() throws IOException {
        Path docs = tmp.resolve("docs.txt");
        Files.write(docs, DOCS, StandardCharsets.UTF_8);
        String[] r =
                run("score", "--model", TestModels.testModel().toString(), "--query", "送料", "--docs", docs.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String[] lines = r[1].strip().split("\n");
        assertThat(lines).hasSize(DOCS.size());
        ScoredPairs expected = encoder.score("送料", DOCS);
        for (int i = 0; i < lines.length; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            assertThat(line.get("index").asInt()).isEqualTo(i);
            assertThat(line.get("logit").floatValue()).isCloseTo(expected.logit(i), within(1e-6f));
            assertThat(line.get("score").floatValue()).isCloseTo(expected.score(i), within(1e-6f));
        }
    }

    @Test
    void jsonlInputSharesOneModelLoad() throws IOException {
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(
                input,
                "{\"query\": \"送料\", \"docs\": [\"送料は全国一律500円です。\", \"\"]}\n\n{\"query\": \"返品\", \"docs\": []}\n",
                StandardCharsets.UTF_8);
        String[] r = run("score", "--model", TestModels.testModel().toString(), "--input", input.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String[] lines = r[1].strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines[0]);
        ScoredPairs expected = encoder.score("送料", List.of("送料は全国一律500円です。", ""));
        assertThat(first.get("logits")).hasSize(2);
        assertThat(first.get("scores").get(1).floatValue()).isCloseTo(expected.score(1), within(1e-6f));
        assertThat(JSON.readTree(lines[1]).get("scores")).isEmpty();
    }

    @Test
    void badInputsFailWithAMessageAndNoStackTrace() throws IOException {
        String[] missingModel =
                run("score", "--model", tmp.resolve("nope").toString(), "--query", "q", "--docs", "/dev/null");
        assertThat(missingModel[0]).isEqualTo("1");
        assertThat(missingModel[2]).contains("nope").doesNotContain("\tat ");

        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"query\": 1}\n");
        String[] badLine = run("score", "--model", TestModels.testModel().toString(), "--input", bad.toString());
        assertThat(badLine[0]).isEqualTo("1");
        assertThat(badLine[2]).contains("line 1");

        // Good lines around bad ones: the first bad line is named and nothing is written (no partial output).
        String good = "{\"query\": \"図書館\", \"docs\": [\"開館時間\", \"ごみの日\"]}";
        String[][] badLines = {
            {"{\"query\": \"q\", \"docs\": [\"a\", 3]}", "every element of \"docs\" must be a string"},
            {"{\"query\": \"q\", \"docs\": ", "is not JSON"},
            {"[\"q\", [\"a\"]]", "expected {\"query\""},
            {"\u0000\u0001", "is not JSON"},
        };
        for (String[] badCase : badLines) {
            Path mixed = tmp.resolve("mixed.jsonl");
            Files.writeString(mixed, good + "\n\n" + good + "\n" + badCase[0] + "\n" + good + "\n");
            String[] result = run("score", "--model", TestModels.testModel().toString(), "--input", mixed.toString());
            assertThat(result[0]).as(badCase[0]).isEqualTo("1");
            assertThat(result[1]).as("nothing written for " + badCase[0]).isEmpty();
            assertThat(result[2]).contains("line 4").contains(badCase[1]).doesNotContain("\tat ");
        }

        String[] both =
                run("score", "--model", TestModels.testModel().toString(), "--query", "q", "--input", bad.toString());
        assertThat(both[0]).isEqualTo("2");
    }
}
