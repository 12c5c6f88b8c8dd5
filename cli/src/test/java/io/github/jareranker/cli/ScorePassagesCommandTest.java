package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code score --passages}: the best passage per document, whose text scored alone gives the MaxP score. */
class ScorePassagesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "粗大ごみの出し方";
    private static final List<String> DOCS = List.of(
            "市ではごみを五種類に分けて収集しています。燃えるごみは月曜日です。資源ごみは水曜日です。".repeat(6) + "粗大ごみは電話で申し込み、処理券を貼って出してください。",
            "図書館は月曜日が休館日です。",
            "");

    @TempDir
    Path tmp;

    private String[] score(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("score", "--model", TestModels.testModel().toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    private static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.strip().split("\n")) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    @Test
    void theBestPassageScoredAloneGivesTheDocumentsMaxPScore() throws IOException {
        Path docs = tmp.resolve("docs.txt");
        Files.write(docs, DOCS, StandardCharsets.UTF_8);
        String[] r = score("--query", QUERY, "--docs", docs.toString(), "--passages", "max", "--passage-tokens", "48");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<JsonNode> out = lines(r[1]);
        assertThat(out).hasSize(DOCS.size());
        assertThat(out.get(0).get("passage").get("index").asInt()).isGreaterThan(0); // the answer sits late
        assertThat(out.get(1).get("passage").get("text").asText()).isEqualTo(DOCS.get(1));
        assertThat(out.get(2).get("passage").get("text").asText()).isEmpty();

        List<String> best = new ArrayList<>();
        out.forEach(line -> best.add(line.get("passage").get("text").asText()));
        Path bestFile = tmp.resolve("best.txt");
        Files.write(bestFile, best, StandardCharsets.UTF_8);
        String[] alone = score("--query", QUERY, "--docs", bestFile.toString());
        assertThat(alone[0]).as(alone[2]).isEqualTo("0");
        List<JsonNode> aloneLines = lines(alone[1]);
        for (int i = 0; i < DOCS.size(); i++) {
            assertThat(aloneLines.get(i).get("score").floatValue())
                    .as("document %d", i)
                    .isCloseTo(out.get(i).get("score").floatValue(), within(1e-5f));
            assertThat(DOCS.get(i)).contains(best.get(i));
        }
    }

    @Test
    void jsonlInputGetsOnePassagePerDocumentInOrder() throws IOException {
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(
                input,
                JSON.writeValueAsString(java.util.Map.of("query", QUERY, "docs", DOCS)) + "\n",
                StandardCharsets.UTF_8);
        String[] r = score("--input", input.toString(), "--passages", "first", "--passage-tokens", "48");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode line = lines(r[1]).get(0);
        assertThat(line.get("passages")).hasSize(DOCS.size());
        assertThat(line.get("scores")).hasSize(DOCS.size());
        for (JsonNode p : line.get("passages")) {
            assertThat(p.get("index").asInt()).isZero(); // FirstP: always the first passage
        }
        assertThat(DOCS.get(0))
                .startsWith(line.get("passages").get(0).get("text").asText());
    }

    @Test
    void badPassageFlagsAreRefusedNamingTheFlag() {
        // refused before the documents are read: no --docs here, and stdin is not touched
        String[] r = score("--query", QUERY, "--passages", "best");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("--passages").contains("max, first, meanTopK");
        r = score("--query", QUERY, "--max-passages", "4");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("need --passages");
        r = score("--query", QUERY, "--passages", "max", "--passage-tokens", "8");
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("--passage-tokens");
    }
}
