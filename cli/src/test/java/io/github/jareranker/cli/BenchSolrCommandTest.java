package io.github.jareranker.cli;

import static io.github.jareranker.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.jareranker.testing.SolrRuntime;
import io.github.jareranker.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench-solr} smoke test: in-process Solr with the committed random-weight test model on the
 * committed JSQuAD slice, 1 and 2 clients, a handful of requests per cell.
 */
@ExtendWith(RepoHome.class)
class BenchSolrCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void reportsEveryCellWithoutErrorsAndTheRerankedPairsItAskedFor() throws Exception {
        SolrRuntime.assumeCanStart();
        Path json = tmp.resolve("out/bench.json");
        String[] r = run(
                "bench-solr",
                "--model",
                TestModels.testModel().toString(),
                "--data",
                RepoHome.committedJsquad().toString(),
                "--clients",
                "1,2",
                "--requests",
                "4",
                "--rerank-docs",
                "10",
                "--max-length",
                "128",
                "--out",
                json.toString());
        assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
        assertThat(r[1])
                .contains("Solr end-to-end benchmark", "RANDOM WEIGHTS", "valid-v1.3-first5.json")
                .contains("p50 ms", "p99 ms", "queries/s", "pairs/s")
                .contains("reranked pairs/s as a share of the engine alone", " 1 clients ", " 2 clients ")
                .contains("results written to " + json);
        JsonNode result = JSON.readTree(json.toFile());
        assertThat(result.get("reRankDocs").asInt()).isEqualTo(10);
        assertThat(result.get("requestsPerCell").asInt()).isEqualTo(4);
        assertThat(result.get("model").asText()).isNotBlank();
        assertThat(result.get("cores").asInt()).isPositive();
        assertThat(result.get("engineAlonePairsPerSecond").asDouble()).isPositive();
        JsonNode cells = result.get("cells");
        List<String> order = new ArrayList<>();
        for (JsonNode c : cells) {
            String mode = c.get("mode").asText();
            order.add(c.get("clients").asInt() + " " + mode);
            assertThat(c.get("errors").asInt()).as(mode).isZero();
            assertThat(c.get("partialResults").asInt()).as(mode).isZero();
            double p50 = c.get("p50Ms").asDouble();
            assertThat(p50).as(mode).isPositive();
            assertThat(c.get("p99Ms").asDouble()).as(mode).isGreaterThanOrEqualTo(p50);
            assertThat(c.get("meanMs").asDouble()).as(mode).isPositive();
            assertThat(c.get("queriesPerSecond").asDouble()).as(mode).isPositive();
            if (mode.equals("bm25")) {
                assertThat(c.get("pairsPerSecond").asDouble()).isZero();
            } else {
                // the slice's questions match far more than 10 paragraphs: every request scores 10 pairs
                assertThat(c.get("pairsPerSecond").asDouble()).as(mode).isPositive();
                double perQuery = c.get("pairsPerSecond").asDouble()
                        / c.get("queriesPerSecond").asDouble();
                assertThat(perQuery).as(mode).isCloseTo(10.0, within(1e-6));
            }
            if (mode.equals("rerank")) {
                assertThat(c.get("ofEngineAlone").asDouble()).isPositive();
            }
        }
        assertThat(order).containsExactly("1 engine", "1 bm25", "1 rerank", "2 bm25", "2 rerank", "1 engine");
    }

    @Test
    void zeroRequestsIsAUsageError() {
        String[] r = run("bench-solr", "--data", RepoHome.committedJsquad().toString(), "--requests", "0");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("--requests");
    }

    @Test
    void moreRequestsThanTheDataHasQuestionsIsAUsageError() {
        String[] r = run("bench-solr", "--data", RepoHome.committedJsquad().toString(), "--requests", "1000000");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("valid-v1.3-first5.json", "lower --requests");
    }
}
